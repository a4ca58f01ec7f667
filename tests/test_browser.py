"""The HTML report in headless Chromium: no console errors, no network requests, an injected
<script> in a policy does not run, a click on a highlight explains it. A screenshot of the first
document page is saved in pytest's temporary folder for the run (its path is printed).

Needs Debian ``chromium`` + ``chromium-driver`` (``.ci/run`` installs them). Without them the
test is skipped, unless ANALYZER_REQUIRE_BROWSER is set (as in CI), when it fails.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from analyzer.pipeline import analyze_document, analyze_file, segment_bytes
from analyzer.report.html import render_report
from tests.conftest import CORPUS

WAIT_SECONDS = 10
INJECTED = (
    "あやめネット利用規約\n\n第1条（目的）\n"
    "本規約は<script>window.__injected = 1; alert('x')</script>あやめネットの利用条件を定めます。\n"
    "第2条（免責）\n当社は、いかなる場合も一切の責任を負いません。\n"
)


def _driver():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        chromium = None
    if not (chromium and chromedriver):
        message = (
            "headless Chromium not available (apt-get install chromium chromium-driver; pip install selenium)"
        )
        if os.environ.get("ANALYZER_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    options = Options()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(chromedriver), options=options)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    injected = analyze_document(segment_bytes(INJECTED.encode("utf-8"), "ayame_terms.txt"), rules_only=True)
    documents = [
        ("tsubame_mvno_yakkan", analyze_file(CORPUS / "tsubame_mvno_yakkan.pdf", rules_only=True)),
        ("minato_cable_privacy", analyze_file(CORPUS / "minato_cable_privacy.txt", rules_only=True)),
        ("ayame_terms", injected),
    ]
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(documents), encoding="utf-8")
    return path


def _active(driver) -> str | None:
    return driver.execute_script("const s = document.querySelector('section.doc.active'); return s && s.id")


def test_report_opens_cleanly_in_headless_chromium(report: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver = _driver()
    wait = WebDriverWait(driver, WAIT_SECONDS)
    try:
        driver.get(report.as_uri())
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete" and _active(d))
        assert driver.title == "文書分析レポート"
        # The injected script is text on the page, and it did not run.
        assert driver.execute_script("return window.__injected === undefined")
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('.doc-text')).map(e => e.textContent).join('')"
        )
        assert "<script>window.__injected = 1; alert('x')</script>" in shown
        assert driver.execute_script("return document.scripts.length") == 1
        # One document is shown at a time: the first in triage order.
        active = driver.find_elements("css selector", "section.doc.active")
        assert len(active) == 1 and active[0].get_attribute("id") == "doc-1"
        # A click on a highlight opens its explanation.
        mark = active[0].find_element("css selector", "mark.sev-high")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
        mark.click()
        popup = driver.find_element("id", "popup")
        assert popup.is_displayed() and "確信度" in popup.text
        driver.execute_script("document.getElementById('popup').hidden = true")
        # A row of the index switches the document.
        driver.find_element("css selector", 'tr.row[data-doc="doc-2"] a').click()
        wait.until(lambda d: _active(d) == "doc-2")
        driver.get(report.as_uri() + "#doc-1")
        wait.until(
            lambda d: d.execute_script("return document.readyState") == "complete" and _active(d) == "doc-1"
        )
        shot = report.parent / "report-first-document.png"
        driver.execute_script(
            "document.querySelector('#doc-1 .doc-text').scrollTop = 0;"
            "document.getElementById('doc-1').scrollIntoView()"
        )
        wait.until(
            lambda d: d.execute_script("return document.querySelector('#doc-1 .doc-text').scrollTop") == 0
        )
        driver.save_screenshot(str(shot))
        print(f"screenshot: {shot}")
        assert shot.stat().st_size > 10_000
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == [], errors
        requests = {
            json.loads(entry["message"])["message"]["params"]["request"]["url"]
            for entry in driver.get_log("performance")
            if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"
        }
        assert requests <= {report.as_uri(), report.as_uri() + "#doc-1"}, requests
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def carrier_report_page(tmp_path_factory) -> Path:
    """The report of one sample carrier set (rules only) with its carrier section."""
    from analyzer.compare.carriers import carrier_report, group_documents

    folder = CORPUS.parent / "carriers" / "akebono"
    documents = [
        (p.stem, analyze_file(p, rules_only=True)) for p in sorted(folder.iterdir()) if p.suffix != ".yaml"
    ]
    carriers = [carrier_report(s) for s in group_documents(documents)]
    path = tmp_path_factory.mktemp("carrier-report") / "report.html"
    path.write_text(render_report(documents, carriers), encoding="utf-8")
    return path


def test_the_carrier_section_shows_each_contradiction_with_both_quotes(carrier_report_page: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver = _driver()
    try:
        driver.get(carrier_report_page.as_uri())
        WebDriverWait(driver, WAIT_SECONDS).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        section = driver.find_element("css selector", "section.carriers")
        assert section.is_displayed() and "株式会社あけぼの通信" in section.text
        pairs = driver.find_elements("css selector", "#carrier-1 table.pairs tr")
        quotes = driver.find_elements("css selector", "#carrier-1 table.pairs span.quote")
        assert len(quotes) >= 2 and len(quotes) % 2 == 0 and pairs
        # both quotes of the first contradiction are on screen, highlighted
        first, second = quotes[0], quotes[1]
        assert first.is_displayed() and second.is_displayed() and first.text and second.text
        assert first.value_of_css_property("border-bottom-style") == "solid"
        # the carrier-level checklist lists the 27 items
        assert len(driver.find_elements("css selector", "#carrier-1 table.items tr")) == 28
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == [], errors
    finally:
        driver.quit()
