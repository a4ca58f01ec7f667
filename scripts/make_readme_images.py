"""Screenshots for the README: what analyze (report.html), compare (compare.html) and diff
(diff.html) produce on the sample corpus, taken in headless Chromium.

Usage: python scripts/make_readme_images.py [--work DIR]
Needs Debian chromium + chromium-driver and selenium (the test extra).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
SAMPLES = sorted(
    p
    for p in (ROOT / "corpora" / "documents").iterdir()
    if p.suffix in {".txt", ".md", ".html", ".pdf", ".docx"}
)


def run(*args: str) -> None:
    subprocess.run([str(ROOT / ".venv" / "bin" / "analyzer"), *args], check=True)


def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1280,860",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "chromium"
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"), options=options)


def shoot(browser, url: str, name: str, script: str = "") -> None:
    browser.get(url)
    time.sleep(0.6)
    if script:
        browser.execute_script(script)
        time.sleep(0.3)
    browser.save_screenshot(str(IMAGES / name))
    print("wrote", IMAGES / name)


def main(argv: list[str]) -> int:
    work = Path(argv[argv.index("--work") + 1]) if "--work" in argv else Path(tempfile.mkdtemp())
    IMAGES.mkdir(parents=True, exist_ok=True)
    out, cmp, diff = work / "out", work / "compare", work / "diff"
    run("analyze", *map(str, SAMPLES), "-o", str(out))
    run("compare", str(out), "-o", str(cmp))
    old = ROOT / "corpora" / "documents" / "kirara_wifi_terms.txt"
    text = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "-c",
            f"from analyzer.pipeline import segment_file; print(segment_file({str(old)!r}).document.text, end='')",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (work / "kirara_2024.txt").write_text(text, encoding="utf-8")
    revised = (
        text.replace("60分間", "30分間", 1)
        .replace(
            "３．当社は、設備の保守、天災、停電、施設の営業の都合その他の事由により、予告なく本サービスを中断することがあります。\n",
            "",
            1,
        )
        .replace(
            "書面によるお問い合わせ及び苦情には対応いたしません。\n",
            "書面によるお問い合わせ及び苦情には対応いたしません。\n３．当社は、利用者の同意を得ることなく、接続記録を提携先に提供することができます。\n",
            1,
        )
    )
    (work / "kirara_2025.txt").write_text(revised, encoding="utf-8")
    run("diff", str(work / "kirara_2024.txt"), str(work / "kirara_2025.txt"), "-o", str(diff))
    browser = driver()
    try:
        shoot(browser, (out / "report.html").as_uri(), "report-index.png")
        shoot(
            browser,
            (out / "report.html").as_uri() + "#doc-1",
            "report-document.png",
            "document.querySelector('#doc-1 .doc-text').scrollTop = 0; document.getElementById('doc-1').scrollIntoView();",
        )
        shoot(browser, (cmp / "compare.html").as_uri(), "compare-heatmap.png")
        shoot(
            browser,
            (cmp / "compare.html").as_uri(),
            "compare-topics.png",
            "document.querySelector('table.topics').scrollIntoView();",
        )
        shoot(browser, (diff / "diff.html").as_uri(), "diff.png")
    finally:
        browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
