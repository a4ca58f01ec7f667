"""Hostile inputs for the tests of the batch's limits and of the escaping of its outputs.

Each builder makes one case inside the folder it is given (in a sub-folder named after the case)
and returns the path to hand to ``analyzer analyze``: a file for the single-file cases, a folder
for the cases made of several entries. Nothing is stored in the repository: every case is
written at test time, each in well under two seconds and under five megabytes on disk, except
``docx_bomb``, which takes about three seconds (1 GiB is deflated on the fly).

The cases fall into three groups:

* ``HOSTILE_NAMES``: inputs a batch must refuse, each failing alone with a line of its own in
  errors.csv while the rest of the batch goes on (decompression bombs, too many parts, too deep,
  special files, links that lead nowhere, a folder that cannot be read).
* ``BOUNDED_NAMES``: inputs that are large but legitimate (a very long document, a very long
  sentence): they are analysed, within the limits on time and memory.
* ``NORMAL_NAMES``: ordinary documents, some with names that collide with the batch's own
  outputs and some carrying payloads for spreadsheets, HTML, Markdown, terminals and Rich markup
  in their names, titles, carrier names and clauses: analysed like any other document, the
  payloads reaching every output as inert text.

Permissions are not enforced for root: ``unreadable_folder`` is readable when the tests run as
root (``RUNNING_AS_ROOT``), and the assertion that it fails must be skipped then.

All company names, services and sentences are invented.
"""

from __future__ import annotations

import csv
import os
import random
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "BOUNDED_NAMES",
    "BUILDERS",
    "DOCX_BOMB_BYTES",
    "GOOD_NAMES",
    "HOSTILE_NAMES",
    "INJECTION_MANIFEST",
    "INJECTION_NAMES",
    "NORMAL_NAMES",
    "PAYLOADS",
    "PDF_BOMB_BYTES",
    "REPORT_NAMES",
    "RUNNING_AS_ROOT",
    "build_all",
    "restore_permissions",
]

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

DOCX_BOMB_BYTES = 1 << 30  # what word/document.xml of docx_bomb inflates to (1 GiB)
PDF_BOMB_BYTES = 1 << 30  # what the content stream of pdf_stream_bomb inflates to (1 GiB)

_MIB = 1 << 20

# ---------------------------------------------------------------------------------------------
# Payloads

FORMULA_HYPERLINK = '=HYPERLINK("http://x.example/","click")'
FORMULA_DDE = "+cmd|' /C calc'!A0"
FORMULA_MINUS = "-2+3"
FORMULA_AT = "@SUM(1+1)"
FORMULA_TAB = "\t=1+1"
FORMULA_CR = "\r=1+1"
HTML_SCRIPT = "<script>alert(1)</script>"
HTML_IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "[link](javascript:alert(1))"
MD_TABLE = "| a | b |"
MD_HEADING = "# "
ESC_CLEAR = "\x1b[2J"
ESC_TITLE = "\x1b]0;title\x07"
ESC_RED = "\x1b[31m"
RICH_MARKUP = "[/x]bad[bold]"
RICH_NAME = "[x]bad[bold]"  # a file name cannot hold the "/" of a closing tag

PAYLOADS: list[str] = [
    FORMULA_HYPERLINK,
    FORMULA_DDE,
    FORMULA_MINUS,
    FORMULA_AT,
    FORMULA_TAB,
    FORMULA_CR,
    HTML_SCRIPT,
    HTML_IMG,
    MD_LINK,
    MD_TABLE,
    MD_HEADING,
    ESC_CLEAR,
    ESC_TITLE,
    ESC_RED,
    RICH_MARKUP,
    RICH_NAME,
]

# ---------------------------------------------------------------------------------------------
# Normal documents

_GOOD_TXT = """株式会社こもれびモバイル　個人情報保護方針

制定日：2021年4月1日
改定日：2024年7月1日

株式会社こもれびモバイル（以下「当社」といいます。）は、携帯電話サービス「こもれびSIM」を提供する電気通信事業者として、お客様の個人情報及び通信の秘密を適切に取り扱うため、次のとおり個人情報保護方針を定めます。

第1条（基本方針）
当社は、個人情報の保護に関する法律、電気通信事業法その他の関係法令及び総務省の定める指針を遵守し、お客様の個人情報を適正に取り扱います。

第2条（取得する情報）
当社は、次に掲げる情報を、適法かつ公正な手段により取得します。
（１）氏名、住所、生年月日、電話番号、メールアドレス等の契約者情報
（２）料金の請求及び支払に関する情報
（３）通話及びデータ通信の日時、通信量等の通信履歴

第3条（利用目的）
当社は、取得した情報を次の目的の範囲内で利用します。
（１）本サービスの提供、料金の計算及び請求のため
（２）障害の復旧及び不正利用の防止のため
（３）お問い合わせへの回答のため

第4条（第三者提供）
当社は、法令に基づく場合を除き、あらかじめお客様の同意を得ることなく、個人情報を第三者に提供しません。

第5条（保存期間）
通信履歴は、料金の請求に必要な期間として取得した日から6か月間保存し、その後速やかに消去します。

第6条（安全管理措置）
当社は、通信履歴を扱うシステムへのアクセスを権限を付与された従業者に限り、アクセスの記録を1年間保管して定期的に点検します。

第7条（お問い合わせ）
個人情報の取扱いに関するお問い合わせは、こもれびモバイルお客様窓口（電話：0120-555-014、受付時間：平日10時から18時）までご連絡ください。
"""

_GOOD_MD = """# しろつめ光インターネット接続サービス契約約款

2023年10月1日施行

## 第1条（適用）

株式会社しろつめ通信（以下「当社」といいます。）は、この約款により、光回線を用いたインターネット接続サービス「しろつめ光」（以下「本サービス」といいます。）を提供します。

## 第2条（契約の申込み）

1. 本サービスの利用の申込みは、当社所定の申込書又は当社ウェブサイトの申込画面により行うものとします。
2. 当社は、申込みを受け付けたときは、審査のうえ、その承諾の可否を書面又は電子メールにより通知します。

## 第3条（料金の支払）

契約者は、料金表に定める月額料金を、当社が指定する期日までに、口座振替又はクレジットカードにより支払うものとします。

## 第4条（提供の中断）

当社は、電気通信設備の保守又は工事のためやむを得ないときは、本サービスの提供を中断することがあります。この場合、当社は、あらかじめその旨を契約者に通知します。

## 第5条（通信の秘密）

当社は、電気通信事業法第4条に基づき、契約者の通信の秘密を守ります。接続記録は、障害対応及び不正利用の調査に必要な範囲でのみ利用し、取得した日から3か月間保存した後に消去します。

## 第6条（契約者が行う解約）

契約者は、本サービスを解約しようとするときは、解約を希望する日の10日前までに、当社所定の方法により当社に通知するものとします。

## 第7条（お問い合わせ窓口）

本サービスに関するご相談は、しろつめ通信サポートセンター（電話：0120-333-218、受付時間：毎日9時から20時）で承ります。
"""

_GOOD_HTML = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>通信の秘密に関する取扱方針｜あさぎりテレコム株式会社</title>
</head>
<body>
<h1>通信の秘密に関する取扱方針</h1>
<p>2022年6月1日制定</p>
<p>あさぎりテレコム株式会社（以下「当社」といいます。）は、固定電話サービス及びインターネット接続サービスの提供に当たり、お客様の通信の秘密を保護するため、次のとおり取扱方針を定めます。</p>
<h2>第1条（対象となる情報）</h2>
<p>この方針は、通信の内容のほか、通信の日時、通信の相手方、通信量その他通信の構成要素に当たる情報を対象とします。</p>
<h2>第2条（取扱いの原則）</h2>
<p>当社は、通信の秘密に当たる情報を、通信の媒介、料金の請求その他本サービスの提供に必要な範囲に限り取り扱います。当社の従業者がこれらの情報を取り扱うときは、業務上必要な最小限の者に限り、取扱いの記録を残します。</p>
<h2>第3条（個別の同意）</h2>
<p>当社は、前条の範囲を超えて通信の秘密に当たる情報を利用するときは、その目的を具体的に示したうえで、お客様から個別に同意をいただきます。お客様は、いつでも会員ページの設定画面から同意を撤回することができます。</p>
<h2>第4条（保存期間）</h2>
<p>通話明細は、請求月の翌月から起算して3か月間保存し、保存期間を経過したものは速やかに消去します。</p>
<h2>第5条（漏えい等への対応）</h2>
<p>通信の秘密に当たる情報の漏えい等が発生したときは、速やかに総務省に報告し、影響を受けるお客様に通知します。</p>
<h2>第6条（お問い合わせ）</h2>
<p>この方針に関するお問い合わせは、あさぎりテレコムお客様センター（電話：0120-201-447、受付時間：平日9時から17時）までお寄せください。</p>
</body>
</html>
"""

GOOD_NAMES: tuple[str, ...] = (
    "komorebi_privacy_policy.txt",
    "shirotsume_hikari_yakkan.md",
    "asagiri_secrecy_policy.html",
)

# ---------------------------------------------------------------------------------------------
# report_named: documents whose stems are the names of the batch's own outputs

# (file name, company, service, clause the rules flag)
_REPORT_DOCS: tuple[tuple[str, str, str, str], ...] = (
    (
        "report.txt",
        "株式会社やまびこ回線",
        "やまびこ光",
        "当社は、契約者の通信履歴を、提携する広告事業者に提供することができます。",
    ),
    (
        "summary.txt",
        "株式会社みなとコネクト",
        "みなとWi-Fi",
        "当社は、本サービスの利用により利用者に生じた一切の損害について、責任を負いません。",
    ),
    (
        "errors.txt",
        "ひばりテレコム株式会社",
        "ひばり電話",
        "当社は、会員に通知することなく、本ポリシーの内容をいつでも変更できるものとします。",
    ),
    (
        "findings.txt",
        "株式会社つばめ光ネット",
        "つばめ光",
        "当社は、退会後も会員の接続記録を保存し、利用することができます。",
    ),
    (
        "scores.txt",
        "株式会社かすみモバイル",
        "かすみSIM",
        "当社は、利用目的を当社の判断で随時変更し、又は追加することができます。",
    ),
    (
        "guideline_items.txt",
        "みずなぎネットワークス株式会社",
        "みずなぎ光",
        "位置情報の解析に同意いただけない場合、本サービスはご利用いただけません。",
    ),
    (
        "compare.txt",
        "株式会社ことのはテレコム",
        "ことのはモバイル",
        "当社は、利用者が送受信するメッセージの内容を解析し、広告の配信に利用します。",
    ),
    (
        "diff.txt",
        "株式会社あけぼの回線",
        "あけぼのネット",
        "当社は、取得した通信履歴をグループ会社に提供します。",
    ),
)

REPORT_NAMES: tuple[str, ...] = tuple(name for name, *_ in _REPORT_DOCS)


_PURPOSE = "当社は、取得した情報を、本サービスの提供、料金の請求及びお問い合わせへの対応のために利用します。"

_MORE_ARTICLES = """
第5条（安全管理措置）
当社は、取得した情報への不正なアクセス、紛失、改ざん及び漏えいを防止するため、アクセス権限の管理、通信の暗号化その他の必要かつ適切な措置を講じます。

第6条（業務の委託）
当社は、料金の請求書の発送その他の業務の一部を外部の事業者に委託することがあります。この場合、当社は、委託先との間で情報の取扱いに関する契約を締結し、委託先に対して必要かつ適切な監督を行います。

第7条（開示等の請求）
利用者は、当社が保有する自己の情報について、開示、訂正、利用の停止又は消去を請求することができます。請求の方法は、当社ウェブサイトの「個人情報の開示等のお手続き」のページに掲載しています。

第8条（本ポリシーの変更）
当社は、法令の改正その他の事情により、本ポリシーを変更することがあります。変更後の本ポリシーは、当社ウェブサイトに掲載した日から適用します。

第9条（外部送信）
当社のアプリは、利用状況の分析のため、端末の識別子及びアプリの操作記録を分析事業者に送信します。送信される情報の項目、送信先及び利用目的は、アプリ内の「外部送信について」の画面で確認できます。

第10条（未成年者の情報）
未成年の利用者が本サービスを申し込む場合には、親権者の同意を得たうえでお申込みください。当社は、親権者から請求があったときは、当該未成年者の情報の利用を停止します。

第11条（統計情報の利用）
当社は、取得した情報から個人を識別できないように加工した統計情報を作成し、サービスの改善及び設備計画の検討に利用することがあります。
"""


def _short_policy(
    title: str,
    company: str,
    service: str,
    flagged: str,
    *,
    date: str,
    purpose: str = _PURPOSE,
    more: str = "",
) -> str:
    """A short privacy policy of ``company``: ``purpose`` as its second article, ``flagged``
    as its third, then ``more`` articles after the fourth."""
    return f"""{title}

{date}改定

{company}（以下「当社」といいます。）は、「{service}」（以下「本サービス」といいます。）の提供に当たり、利用者の情報を次のとおり取り扱います。

第1条（取得する情報）
当社は、氏名、住所、電話番号、メールアドレス及び本サービスの利用に伴う通信履歴を取得します。

第2条（利用目的）
{purpose}

第3条（情報の取扱い）
{flagged}

第4条（お問い合わせ）
本ポリシーに関するお問い合わせは、当社のお客様窓口までご連絡ください。
{more}"""


# ---------------------------------------------------------------------------------------------
# injection_payloads: payloads in file names, titles, carrier names and clauses

INJECTION_MANIFEST = "injection_payloads.manifest.csv"  # written beside the case folder


def _purpose_after(payload: str) -> str:
    """The article on purposes with ``payload`` first: the rule on concrete purposes quotes
    this sentence from its start, so the evidence begins with the payload."""
    return f"{payload}料金の計算及び請求、本サービスの提供並びにお問い合わせへの対応のために、当社は取得した情報を利用します。"


# (file name, title line, company as the text names it, article 2, article 3 (flagged, with a
#  payload inside the words the rule quotes), carrier given by the manifest, more articles)
_INJECTION_DOCS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        '=HYPERLINK("x.example","click").txt',
        f"{FORMULA_HYPERLINK}　プライバシーポリシー",
        "株式会社こだまリンク",
        _purpose_after(FORMULA_HYPERLINK),
        f"=当社は、利用者の同意を得ることなく、通信履歴を{FORMULA_HYPERLINK}の提携先に提供することができます。",
        FORMULA_HYPERLINK,
        "",
    ),
    (
        "+cmd|' -C calc'!A0.txt",
        f"{FORMULA_DDE} 個人情報の取扱いについて",
        "株式会社ゆうなぎモバイル",
        _purpose_after(FORMULA_DDE),
        # "!" ends a sentence: the payload stays out of the clause the rule quotes
        "+当社は、本サービスの利用により会員に生じた一切の損害について、責任を負いません。",
        FORMULA_DDE,
        "",
    ),
    (
        "-2+3 @SUM(1+1).txt",
        f"{FORMULA_MINUS} 利用者情報の取扱い {FORMULA_AT}",
        "株式会社しおさい回線",
        _purpose_after(FORMULA_MINUS),
        f"@当社は、会員に通知することなく、{FORMULA_AT}本ポリシーをいつでも変更できるものとします。",
        FORMULA_AT,
        "",
    ),
    (
        "\t=1+1 tab.txt",
        f"{FORMULA_TAB}　プライバシーポリシー",
        "株式会社こがらしネット",
        _purpose_after(FORMULA_TAB),
        # a tab inside a sentence parts it like a table cell: the payload stays out of it
        "当社は、利用者の同意を得ずに、位置情報を提携先に提供することができます。",
        FORMULA_TAB,
        "",
    ),
    (
        "\r=1+1 cr.txt",
        f"{FORMULA_CR}　個人情報保護方針",
        "株式会社はやせテレコム",
        _purpose_after(FORMULA_CR),
        "当社は、利用目的を当社の判断で随時変更し、又は追加することができます。",
        FORMULA_CR,
        "",
    ),
    (
        "<img src=x onerror=alert(1)>.txt",
        f"{HTML_SCRIPT}プライバシーポリシー",
        "株式会社<b>ひかげ</b>通信",
        _purpose_after(HTML_IMG),
        f"当社は、契約者の通信履歴を、{HTML_SCRIPT}{HTML_IMG}提携先に提供することができます。",
        f"{HTML_IMG}株式会社ひかげ通信",
        "",
    ),
    (
        "[link](javascript:alert(1)) | a | b |.txt",
        f"{MD_HEADING}{MD_LINK} {MD_TABLE} 利用規約",
        "株式会社こずえネット",
        _purpose_after(MD_TABLE),
        f"当社は、利用者が送受信するメッセージの内容を解析し、{MD_LINK}{MD_TABLE}広告の配信に利用します。",
        f"{MD_HEADING}{MD_LINK} {MD_TABLE}",
        "",
    ),
    (
        f"{ESC_RED}red{ESC_CLEAR}.txt",
        f"{ESC_TITLE}プライバシーポリシー",
        "株式会社いさりび通信",
        _PURPOSE,
        f"当社は、取得した通信履歴を{ESC_RED}グループ会社に{ESC_CLEAR}提供します。",
        f"{ESC_RED}いさりび通信{ESC_TITLE}",
        # a longer text: ingest refuses more than one control character per 200 as binary
        _MORE_ARTICLES,
    ),
    (
        f"{RICH_NAME}.txt",
        f"{RICH_MARKUP} 個人情報の取扱いについて",
        "株式会社[bold]よいやみ[/bold]モバイル",
        _purpose_after(RICH_MARKUP),
        "当社は、本サービスに接続した時点で、[/x]利用者は[bold]閲覧履歴の取得及び解析に同意したものとみなします。",
        f"{RICH_MARKUP}株式会社よいやみモバイル",
        "",
    ),
)

INJECTION_NAMES: tuple[str, ...] = tuple(doc[0] for doc in _INJECTION_DOCS)
_INJECTION_SERVICES = (
    "こだま光",
    "ゆうなぎSIM",
    "しおさいWi-Fi",
    "こがらし光",
    "はやせ電話",
    "ひかげネット",
    "こずえメール",
    "いさりびモバイル",
    "よいやみSIM",
)

# ---------------------------------------------------------------------------------------------
# Large text


_SERVICES = (
    "ほたる光インターネット",
    "ほたるモバイル",
    "ほたるIP電話",
    "ほたるメール",
    "固定IPアドレスオプション",
    "セキュリティオプション",
    "ほたる光テレビ",
)
_DATA = (
    "接続記録",
    "通信履歴",
    "契約者情報",
    "料金の請求に関する情報",
    "位置登録情報",
    "発信者番号",
    "IPアドレスの割当記録",
)
_PERIODS = ("3か月間", "6か月間", "1年間", "契約終了後5年間")
_DAYS = ("7日", "10日", "14日", "30日")
_REASONS = (
    "電気通信設備の保守又は工事を行う場合",
    "天災地変その他の非常事態が発生し、又は発生するおそれがある場合",
    "他の電気通信事業者が電気通信サービスの提供を中止した場合",
    "通信の著しい輻輳が生じた場合",
)
_SENTENCES = (
    "当社は、{service}の提供に必要な範囲で、契約者の{data}を取得します。",
    "契約者は、{service}の利用に当たり、当社が別に定める利用条件を遵守するものとします。",
    "当社は、{data}を{period}保存し、保存期間の経過後は速やかに消去します。",
    "契約者は、登録事項に変更があったときは、{days}以内に当社所定の方法により届け出るものとします。",
    "料金の支払期日は当社が指定する日とし、契約者は当該期日までに料金を支払うものとします。",
    "当社は、{reason}には、{service}の提供を一時的に中断することがあります。",
    "当社は、前項の規定により{service}の提供を中断するときは、あらかじめその旨を契約者に通知します。ただし、緊急やむを得ない場合は、この限りでありません。",
    "契約者は、当社の承諾を得ることなく、{service}の利用権を第三者に譲渡することはできません。",
    "当社は、通信の秘密に係る情報を、法令に基づく場合を除き、第三者に提供しません。",
    "当社は、{data}の取扱いを委託する場合には、委託先に対し必要かつ適切な監督を行います。",
    "契約者は、{service}を利用して、他人の権利を侵害し、又は法令に違反する行為を行ってはなりません。",
    "当社は、契約者が前項各号のいずれかに該当するときは、{service}の利用を停止することがあります。",
    "本約款に定めのない事項については、当社が別に定める細則によるものとします。",
    "延滞利息の額は、支払期日の翌日から支払の日の前日までの日数について、年14.5%の割合で計算して得た額とします。",
    "契約者は、{service}の解約を希望するときは、解約を希望する日の{days}前までに、当社所定の方法により通知するものとします。",
    "当社は、{service}に係る設備に故障が生じたことを知ったときは、速やかに修理し、又は復旧するよう努めます。",
    "契約者からの問合せには、ほたるネットお客様センターにおいて回答します。",
    "端末設備の設置及び維持に要する費用は、契約者の負担とします。",
    "当社は、裁判官の発付した令状に基づき求められた場合には、必要な範囲で{data}を開示することがあります。",
    "契約者は、{service}の通信速度が回線の混雑状況等により変動することを、あらかじめ了承するものとします。",
    "当社は、{data}について、不正アクセス、紛失、改ざん及び漏えいを防止するための措置を講じます。",
    "本条の規定は、契約の解除後も、なお効力を有するものとします。",
    "料金その他の債務の額に1円未満の端数が生じた場合は、その端数を切り捨てます。",
    "当社は、契約者に対し、電子メールの送信又は当社ウェブサイトへの掲載により必要な事項を通知します。",
    "前項の通知は、当社が電子メールを送信した時から24時間を経過した時に、契約者に到達したものとみなします。",
    "当社は、{service}の品質を維持するため、{data}を統計的に処理し、設備の増強計画に利用することがあります。",
    "当社は、契約者の責めに帰すべき事由により{service}の提供を停止した期間についても、料金を請求します。",
)
_ITEMS = (
    "料金その他の債務について、支払期日を経過してもなお支払わないとき",
    "申込みの際に虚偽の事項を届け出たことが判明したとき",
    "当社の電気通信設備に過大な負荷を生じさせる行為を行ったとき",
    "第三者になりすまして{service}を利用したとき",
    "当社の業務の遂行に支障を及ぼす行為を行ったとき",
)
_TITLES = (
    "適用",
    "用語の定義",
    "約款の変更",
    "契約の単位",
    "利用契約の申込み",
    "申込みの承諾",
    "契約者の氏名等の変更",
    "利用の制限",
    "提供の中断",
    "利用停止",
    "契約者が行う契約の解除",
    "当社が行う契約の解除",
    "料金の支払義務",
    "料金の計算方法",
    "延滞利息",
    "通信の秘密の保護",
    "契約者情報の取扱い",
    "禁止事項",
    "端末設備の設置",
    "修理又は復旧",
    "損害賠償",
    "通知の方法",
    "権利義務の譲渡の禁止",
    "保存期間",
    "委託先の監督",
    "準拠法",
    "協議",
)
_CHAPTERS = ("総則", "契約", "利用の中断及び停止", "料金等", "情報の取扱い", "損害賠償", "雑則")
_ZENKAKU = str.maketrans("0123456789", "０１２３４５６７８９")


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        service=rng.choice(_SERVICES),
        data=rng.choice(_DATA),
        period=rng.choice(_PERIODS),
        days=rng.choice(_DAYS),
        reason=rng.choice(_REASONS),
    )


def terms_text(characters: int, *, seed: int = 20240401) -> str:
    """Terms of service of an invented carrier, about ``characters`` characters long: chapters
    of articles 「第N条（…）」 with numbered paragraphs and items, then a supplementary provision."""
    rng = random.Random(seed)
    parts = [
        "ほたるネット光サービス契約約款\n\n",
        "株式会社ほたるネット（以下「当社」といいます。）は、この約款を定め、これにより光回線を利用した"
        "電気通信サービスを提供します。\n\n",
    ]
    length = sum(map(len, parts))
    article = 0
    tail = "\n附則\nこの約款は、2024年4月1日から施行します。\n"
    while length < characters - len(tail):
        if article % 20 == 0:
            chapter = f"第{article // 20 + 1}章　{_CHAPTERS[(article // 20) % len(_CHAPTERS)]}\n\n"
            parts.append(chapter)
            length += len(chapter)
        article += 1
        lines = [f"第{article}条（{rng.choice(_TITLES)}）"]
        for paragraph in range(1, rng.randint(1, 4) + 1):
            body = "".join(_fill(rng, rng.choice(_SENTENCES)) for _ in range(rng.randint(1, 3)))
            lines.append(body if paragraph == 1 else f"{str(paragraph).translate(_ZENKAKU)}　{body}")
            if rng.random() < 0.2:
                for number, item in enumerate(rng.sample(_ITEMS, rng.randint(2, 4)), start=1):
                    lines.append(f"（{str(number).translate(_ZENKAKU)}）{_fill(rng, item)}")
        block = "\n".join(lines) + "\n\n"
        parts.append(block)
        length += len(block)
    parts.append(tail)
    return "".join(parts)


def _case_dir(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def huge_text(folder: Path) -> Path:
    """About 1.2 million characters (3.5 MB) of terms of service in UTF-8: under the limits on
    bytes and characters, so it is analysed."""
    path = _case_dir(folder, "huge_text") / "hotaru_net_yakkan.txt"
    path.write_text(terms_text(1_200_000), encoding="utf-8")
    return path


_WHO = ("契約者", "利用者", "家族会員", "法人契約者の担当者", "料金の支払者", "紹介者")
_FIELDS = (
    "氏名",
    "フリガナ",
    "生年月日",
    "性別",
    "住所",
    "電話番号",
    "メールアドレス",
    "勤務先",
    "職業",
    "口座番号",
    "クレジットカードの有効期限",
    "本人確認書類の記号番号",
    "端末の製造番号",
    "SIMカードの識別番号",
)
_RECORDS = (
    "通話明細",
    "データ通信量",
    "接続記録",
    "請求額",
    "支払状況",
    "問合せ履歴",
    "位置登録の記録",
    "ローミングの記録",
    "オプションの加入状況",
    "端末の購入履歴",
)


def long_sentence(folder: Path) -> Path:
    """A short privacy policy whose article on the information collected is one sentence of
    about 40,000 characters: an enumeration joined by 「、」 with no 「。」 until its end."""
    items = [f"{who}の{field}" for who in _WHO for field in _FIELDS]
    items += [
        f"{year}年{month}月分の{record}"
        for year in range(2024, 2004, -1)
        for month in range(1, 13)
        for record in _RECORDS
    ]
    sentence = "当社は、本サービスの提供に当たり、"
    chosen: list[str] = []
    length = len(sentence)
    for item in items:
        if length >= 40_000:
            break
        chosen.append(item)
        length += len(item) + 1
    sentence += "、".join(chosen) + "その他これらに準ずる情報を取得することがあります。"
    text = f"""株式会社やまなみ通信　プライバシーポリシー

2024年2月1日改定

株式会社やまなみ通信（以下「当社」といいます。）は、携帯電話サービス「やまなみモバイル」（以下「本サービス」といいます。）における利用者情報の取扱いについて、次のとおり定めます。

第1条（適用範囲）
このポリシーは、本サービスの利用者及び契約者に適用されます。

第2条（取得する情報）
{sentence}

第3条（利用目的）
当社は、取得した情報を、本サービスの提供、料金の請求及び不正利用の防止のために利用します。

第4条（お問い合わせ）
本ポリシーに関するお問い合わせは、やまなみ通信お客様センター（電話：0120-777-305）までご連絡ください。
"""
    path = _case_dir(folder, "long_sentence") / "yamanami_privacy.txt"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# HTML


def _html_page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def html_many_elements(folder: Path) -> Path:
    """A page of 300,000 ``<p>`` elements of one character each, the availability column of a
    long table of options flattened into paragraphs (3.3 MB)."""
    marks = ("可", "否", "有", "無", "済", "未")
    paragraphs = "\n".join(f"<p>{marks[i % len(marks)]}</p>" for i in range(300_000))
    body = f"<h1>オプション提供状況一覧｜株式会社ほたるネット</h1>\n<p>各オプションの提供可否を示します。</p>\n{paragraphs}"
    path = _case_dir(folder, "html_many_elements") / "options.html"
    path.write_text(_html_page("オプション提供状況一覧", body), encoding="utf-8")
    return path


def html_deep_nesting(folder: Path) -> Path:
    """A page nested 100,000 ``<div>`` deep around one sentence (1.1 MB)."""
    depth = 100_000
    body = "<div>" * depth + "当社は、お客様の通信の秘密を守ります。" + "</div>" * depth
    path = _case_dir(folder, "html_deep_nesting") / "nested.html"
    path.write_text(_html_page("通信の秘密について", body), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# DOCX

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_DOCUMENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_DOCUMENT_TAIL = "</w:body></w:document>"
_DOCX_PARAGRAPHS = (
    "ほたるネット光サービス利用規約",
    "第1条（適用）",
    "株式会社ほたるネット（以下「当社」といいます。）は、この規約により光回線サービスを提供します。",
    "第2条（通信の秘密）",
    "当社は、契約者の通信の秘密を、法令に基づく場合を除き、第三者に開示しません。",
)


def _w_paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_bomb(folder: Path) -> Path:
    """A .docx of about 1 MB on disk whose word/document.xml inflates to ``DOCX_BOMB_BYTES``
    (1 GiB): five real paragraphs, then empty paragraphs ``<w:p/>`` up to the size. Deflated
    while it is written, in 1 MiB pieces (about three seconds, little memory)."""
    path = _case_dir(folder, "docx_bomb") / "bomb.docx"
    head = (_DOCUMENT_HEAD + "".join(map(_w_paragraph, _DOCX_PARAGRAPHS))).encode()
    tail = _DOCUMENT_TAIL.encode()
    unit = b"<w:p/>"
    chunk = unit * (_MIB // len(unit))
    remaining = (DOCX_BOMB_BYTES - len(head) - len(tail)) // len(unit) * len(unit)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            while remaining > 0:
                piece = chunk[:remaining]
                member.write(piece)
                remaining -= len(piece)
            member.write(tail)
    return path


def docx_many_members(folder: Path) -> Path:
    """A valid short .docx plus 20,000 tiny extra members (customXml/item*.xml), 2.5 MB."""
    path = _case_dir(folder, "docx_many_members") / "many_members.docx"
    document = _DOCUMENT_HEAD + "".join(map(_w_paragraph, _DOCX_PARAGRAPHS)) + _DOCUMENT_TAIL
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        for number in range(20_000):
            archive.writestr(
                f"customXml/item{number}.xml", f"<i>{number}</i>", compress_type=zipfile.ZIP_STORED
            )
    return path


# ---------------------------------------------------------------------------------------------
# PDF


def _write_pdf(path: Path, objects: list[bytes]) -> None:
    """Write ``objects`` (the bodies of objects 1, 2, …; object 1 is the catalog) as a PDF with
    a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _zlib_repeated(prefix: bytes, unit: bytes, count: int) -> bytes:
    """A zlib stream (as /FlateDecode reads it) that inflates to ``prefix + unit * count``.
    ``unit`` is deflated once, ending on a full flush so that it refers to nothing before it,
    and that piece is repeated: no need to deflate the whole."""
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = first.compress(prefix) + first.flush(zlib.Z_FULL_FLUSH)
    again = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = again.compress(unit) + again.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    check = zlib.adler32(prefix)
    for _ in range(count):
        check = zlib.adler32(unit, check)
    return b"\x78\xda" + head + piece * count + final + check.to_bytes(4, "big")


_PDF_TEXT = b"BT /F1 14 Tf 72 770 Td (Hotaru Net Service Terms) Tj ET\n"
_PDF_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_stream_bomb(folder: Path) -> Path:
    """A one-page PDF of about 1 MB whose content stream (/FlateDecode) inflates to
    ``PDF_BOMB_BYTES`` (1 GiB) of spaces after one line of text."""
    stream = _zlib_repeated(_PDF_TEXT, b" " * _MIB, PDF_BOMB_BYTES // _MIB)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"/Filter /FlateDecode", stream),
        _PDF_FONT,
    ]
    path = _case_dir(folder, "pdf_stream_bomb") / "bomb.pdf"
    _write_pdf(path, objects)
    return path


def pdf_many_pages(folder: Path) -> Path:
    """A PDF of 20,001 A4 pages: a first page with one line of text, then 20,000 empty pages
    sharing one empty content stream (2.7 MB). The line of text keeps the document from being
    refused only for having no text."""
    pages = 20_000
    first_page = 6
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages + 1))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (pages + 1),
        _stream(b"", b""),
        _stream(b"", _PDF_TEXT),
        _PDF_FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 3 0 R >>"
    objects += [page] * pages
    path = _case_dir(folder, "pdf_many_pages") / "many_pages.pdf"
    _write_pdf(path, objects)
    return path


# ---------------------------------------------------------------------------------------------
# Special files


def fifo(folder: Path) -> Path | None:
    """A named pipe ``policy.txt`` that nobody writes to; None where there are no named pipes."""
    if not hasattr(os, "mkfifo"):
        return None
    path = _case_dir(folder, "fifo") / "policy.txt"
    os.mkfifo(path)
    return path


def symlink_loop(folder: Path) -> Path | None:
    """A folder with a link to itself (``loop -> .``) and two links to each other
    (``a.txt -> b.txt``, ``b.txt -> a.txt``); None where links cannot be made."""
    path = _case_dir(folder, "symlink_loop")
    try:
        (path / "loop").symlink_to(".", target_is_directory=True)
        (path / "a.txt").symlink_to("b.txt")
        (path / "b.txt").symlink_to("a.txt")
    except (OSError, NotImplementedError):
        return None
    return path


def dangling_link(folder: Path) -> Path | None:
    """``gone.txt``, a link to a file that does not exist; None where links cannot be made."""
    path = _case_dir(folder, "dangling_link") / "gone.txt"
    try:
        path.symlink_to(path.parent / "no_such_dir" / "terms.txt")
    except (OSError, NotImplementedError):
        return None
    return path


def unreadable_folder(folder: Path) -> Path:
    """A folder holding ``locked/`` (mode 000) with a short ``terms.txt`` inside, and a readable
    ``notice.txt`` beside it. Root reads ``locked/`` all the same (``RUNNING_AS_ROOT``).
    Call :func:`restore_permissions` before removing it."""
    path = _case_dir(folder, "unreadable_folder")
    locked = path / "locked"
    locked.mkdir(exist_ok=True)
    (locked / "terms.txt").write_text(
        _short_policy(
            "しずくネット利用規約",
            "株式会社しずくネット",
            "しずく光",
            "当社は、契約者の通信履歴を、提携先に提供することができます。",
            date="2023年9月1日",
        ),
        encoding="utf-8",
    )
    (path / "notice.txt").write_text(_GOOD_TXT, encoding="utf-8")
    locked.chmod(0)
    return path


def restore_permissions(folder: Path) -> None:
    """Make the folder ``unreadable_folder`` locked under ``folder`` readable again, so that
    the temporary folder can be removed."""
    locked = folder / "unreadable_folder" / "locked"
    if locked.is_dir() and not locked.is_symlink():
        locked.chmod(stat.S_IRWXU)


def zero_device(folder: Path) -> Path | None:
    """``/dev/zero``, a device that reads as endless zero bytes (nothing is created); None where
    there is no such device."""
    path = Path("/dev/zero")
    return path if path.exists() else None


# ---------------------------------------------------------------------------------------------
# Documents analysed normally


def report_named(folder: Path) -> Path:
    """Eight short privacy policies named like the batch's outputs (report.txt, summary.txt,
    errors.txt, findings.txt, scores.txt, guideline_items.txt, compare.txt, diff.txt), each with
    a clause the rules flag."""
    path = _case_dir(folder, "report_named")
    for index, (name, company, service, flagged) in enumerate(_REPORT_DOCS):
        title = f"{service}　プライバシーポリシー"
        text = _short_policy(title, company, service, flagged, date=f"2024年{index + 1}月1日")
        (path / name).write_text(text, encoding="utf-8")
    return path


def injection_payloads(folder: Path) -> Path:
    """Nine short privacy policies whose file names, titles, carrier names and clauses carry
    the ``PAYLOADS``. Each has a clause the rules flag, seven of them with a payload inside the
    words the rule quotes as evidence (a tab or a "!" would cut the sentence), and all but one
    an article on purposes that starts with a payload, which a rule quotes from its start.
    Beside the folder, ``INJECTION_MANIFEST`` gives each a carrier name that is a payload too
    (``analyze --meta``)."""
    path = _case_dir(folder, "injection_payloads")
    rows = []
    for index, (name, title, company, purpose, flagged, carrier, more) in enumerate(_INJECTION_DOCS):
        text = _short_policy(
            title,
            company,
            _INJECTION_SERVICES[index],
            flagged,
            date=f"2023年{index + 1}月15日",
            purpose=purpose,
            more=more,
        )
        (path / name).write_bytes(text.encode("utf-8"))
        rows.append({"path": str(path / name), "carrier": carrier, "doc_type": "", "date": ""})
    with (folder / INJECTION_MANIFEST).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["path", "carrier", "doc_type", "date"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def good(folder: Path) -> Path:
    """Three ordinary documents of 600 to 1,500 characters: a privacy policy (.txt), terms of
    service (.md) and a policy on the secrecy of communications (.html)."""
    path = _case_dir(folder, "good")
    for name, text in zip(GOOD_NAMES, (_GOOD_TXT, _GOOD_MD, _GOOD_HTML), strict=True):
        (path / name).write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[Path], Path | None]] = {
    "huge_text": huge_text,
    "long_sentence": long_sentence,
    "html_many_elements": html_many_elements,
    "html_deep_nesting": html_deep_nesting,
    "docx_bomb": docx_bomb,
    "docx_many_members": docx_many_members,
    "pdf_stream_bomb": pdf_stream_bomb,
    "pdf_many_pages": pdf_many_pages,
    "fifo": fifo,
    "symlink_loop": symlink_loop,
    "dangling_link": dangling_link,
    "unreadable_folder": unreadable_folder,
    "report_named": report_named,
    "injection_payloads": injection_payloads,
    "zero_device": zero_device,
    "good": good,
}

HOSTILE_NAMES: tuple[str, ...] = (
    "html_many_elements",
    "html_deep_nesting",
    "docx_bomb",
    "docx_many_members",
    "pdf_stream_bomb",
    "pdf_many_pages",
    "fifo",
    "symlink_loop",
    "dangling_link",
    "unreadable_folder",
    "zero_device",
)
BOUNDED_NAMES: tuple[str, ...] = ("huge_text", "long_sentence")
NORMAL_NAMES: tuple[str, ...] = ("good", "report_named", "injection_payloads")


def build_all(folder: Path) -> dict[str, Path]:
    """Build every case under ``folder``: case name → the path made (cases the platform cannot
    make, such as a named pipe on Windows, are left out)."""
    folder.mkdir(parents=True, exist_ok=True)
    built = {}
    for name, builder in BUILDERS.items():
        path = builder(folder)
        if path is not None:
            built[name] = path
    return built
