"""The layout conventions of Chinese newspaper pages, as patterns over one line.

Patterns match the NFKC-folded text (``Line.folded``), so full-width digits, Latin
letters and brackets need no special cases. Each predicate answers one question
about a line; :mod:`builders.parse.layout` weighs them together.
"""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U000323af"
NAME = rf"[{CJK}][{CJK}·•]{{1,3}}"
"""A person's name: two to four characters (a middle dot for minority names)."""

BOX = "□■◇◆○●△▲☆★◎"
ROLE_WORDS = {
    "photographer": rf"[{CJK}]{{0,8}}?摄影记者|(?:摄影|图|摄)(?=[/／]|$)",
    "reporter": rf"[{CJK}]{{0,10}}?记者|实习生|撰稿人?|撰文",
    "correspondent": rf"[{CJK}]{{0,6}}?通讯员",
    "editor": r"(?:责任)?编辑|责编|编审|校对",
    "reporter-text": r"文(?=[/／]|$)",
}
"""Role words; a role applies to the names that follow it (县融媒体中心记者, 本报驻某国记者, 通讯员)."""
ROLE = re.compile("|".join(f"(?P<{k.replace('-', '_')}>{v})" for k, v in ROLE_WORDS.items()))
ROLE_ENDS = (
    "记者", "摄影", "图", "摄", "实习生", "撰稿", "撰稿人", "撰文", "通讯员", "编辑", "责编", "编审", "校对", "文",
)  # fmt: skip
"""How the role words of :data:`ROLE_WORDS` end: a text ending otherwise is no role word alone."""
ROLE_LONGEST = 12
"""Characters of the longest role word (ten before 记者, eight before 摄影记者)."""
SEPARATORS = re.compile(r"[\s、，,；;/／|丨]+")
"""What parts the names and roles of a credit: spaces, 、 ， ； / and the bars of 记者 甲乙丨通讯员 丙丁."""

MARKER = re.compile(
    r"[(（]\s*(?P<dir>下转|转|上接|接|紧接|续)\s*(?P<page>第?\s*[0-9A-Za-z一二三四五六七八九十〇]{1,4}\s*版)\s*[)）]"
)
MARKER_LINE = re.compile(
    rf"^\s*(?:{MARKER.pattern}|(?P<bdir>下转|上接)(?P<bpage>第[0-9一二三四五六七八九十]{{1,3}}版))\s*$"
)

BARE_MARKER_TAIL = re.compile(r"\s*(?P<dir>下转)\s*(?P<page>第[0-9一二三四五六七八九十]{1,3}版)\s*$")
"""A (下转第二版) printed without brackets at the end of a paragraph: ……热火朝天。下转第2版, ……制度，下转第2版"""

TIP_LABEL = re.compile(
    r"^[【\[]?\s*(核心阅读|阅读提示|编者按|编前语|编者的话|导读|内容提要|提要)\s*[】\]]?\s*[:：]?\s*(?P<rest>.*)$"
)
SIDEBAR_LABEL = re.compile(
    r"^[【\[]?\s*(?P<label>记者手记|记者札记|记者观察|记者感言|采访手记|相关链接|知识链接|背景链接|链接|延伸阅读|"
    r"小贴士|短评|快评|点评|编后|编后语|编后记|背景资料|背景|新闻链接|名词解释)\s*[】\]]?\s*[:：]?\s*(?P<rest>.*)$"
)

TIP_FIRST = frozenset("核阅编导内提")
SIDEBAR_FIRST = frozenset("记采相知背链延小短快点编新名")
"""The first characters of the labels of :data:`TIP_LABEL` and :data:`SIDEBAR_LABEL`."""


def label_start(folded: str) -> str:
    """The character a label of :data:`TIP_LABEL` or :data:`SIDEBAR_LABEL` would start with: the
    first after an opening bracket and spaces (``[【\\[]?\\s*``), empty when there is none."""
    head = folded[1:] if folded[:1] in ("【", "[") else folded
    return head.lstrip()[:1]


LEAD = re.compile(
    rf"^(?:[【\[]\s*)?(?:据)?(?P<agency>本报|新华社|中新社|人民日报|新华网|人民网|央视网|[{CJK}]{{2,8}}(?:日报|晚报|报|网|社|台))"
    r"(?P<place>[^，。：:（(“”\s记]{0,12}?(?:[(（][^)）]{1,8}[)）])?)?"
    r"\s*(?P<date>[0-9一二三四五六七八九十〇]{1,3}月[0-9一二三四五六七八九十〇]{1,3}日)?"
    r"\s*(?P<kind>讯|电)(?:\s*[】\]])?"
    r"(?:\s*[(（【\[](?P<credit>[^)）】\]]{0,60})[)）】\]])?"
    r"(?:\s*(?P<credit2>(?:(?:新华社|本报)?(?:记者|通讯员)[^，。：:（(“”]{1,30}?)+)报道\s*[:：])?"
    r"\s*[:：]?\s*"
)
"""The 电头/讯头 opening a lead: 本报讯(记者 …), 新华社某地１月４日电（记者…）, …记者甲乙报道：; a 讯头
printed in black-lenticular brackets (【本报讯】, 本报讯【记者 …】) is one too."""

LEAD_WORDS = ("讯", "电")
"""What every 电头 holds (the ``kind`` of :data:`LEAD`): a text with neither is not matched."""


def lead_match(folded: str) -> re.Match[str] | None:
    """``LEAD.match(folded)``, with the cheap test of :data:`LEAD_WORDS` first (most lines have neither)."""
    return LEAD.match(folded) if LEAD_WORDS[0] in folded or LEAD_WORDS[1] in folded else None


LEAD_OPENER = re.compile(
    r"^(?:近日|日前|近期|近来|目前|今年以来|近年来|连日来|年初以来|入夏以来|入冬以来|昨天|今天|昨日|今日|前不久|日前|"
    r"本报记者|记者从|记者近日|记者日前|随着|今年|去年|本月|上周|本周|当天|当日|"
    r"为了?(?:进一步|深入|全面|切实|加快|推动|扎实|更好|第一时间|持续|有效|确保|贯彻|落实|加强|营造|提升|助力|推进)|"
    r"[0-9一二三四五六七八九十]{1,2}月[上中下]旬|"
    r"[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十〇]{1,3}日|[0-9]{4}年[0-9]{1,2}月|[0-9一二三四五六七八九十]{1,3}日[上下晚]?午?[,，])"
)
"""How a news lead typically opens when it carries no 电头."""

OPENER_FIRST = frozenset("近日目今连年入昨前本记随去上当为0123456789一二三四五六七八九十")
"""The characters the openings of :data:`LEAD_OPENER` start with."""


UNDATED_BRIEF = re.compile(r"^[^，。：:“”\"、,（(]{2,14}?(?:最近|近日|日前)")
"""A brief's lead without 电头 that names who first (某国某公司最近推出…, 某县文化馆近日举办…)."""


def opens_undated_brief(folded: str) -> bool:
    """Does the text open as a brief printed without 电头 does: who, then 最近/近日/日前?"""
    return UNDATED_BRIEF.match(folded) is not None


def opener_match(folded: str) -> re.Match[str] | None:
    """``LEAD_OPENER.match(folded)``, tried only on a text that starts as an opening does."""
    return LEAD_OPENER.match(folded) if folded[:1] in OPENER_FIRST else None


DATE = re.compile(
    r"(?P<month>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?P<day>[0-9]{1,2}|[一二三四五六七八九十〇]{1,3})日"
    r"(?:\s*[(（](?:周|星期)(?P<wd>[一二三四五六日天])[)）])?"
)

POINTERS = "▲△▼▽↑↓←→"
CAPTION_POINTER = re.compile(rf"^[{POINTERS}]\s*")
"""An arrow pointing at the photo before its caption (▲图为…, ▼ 上图…): not caption text."""
CAPTION_HEAD = re.compile(rf"^(?:[{POINTERS}]\s*)?(?:图为|图[:：]|上图|下图|左图|右图|图[①②③④⑤⑥⑦⑧⑨0-9]|图片新闻)")
PHOTO_CREDIT_PAREN = re.compile(r"[(（](?P<credit>[^()（）]{2,40}?)\s*(?:摄影?|供图)\s*[)）]\s*$")


def ends_with(text: str, ends: tuple[str, ...]) -> bool:
    """Does ``text`` end with one of ``ends``, trailing whitespace aside? A pattern ending in
    ``(?:…)\\s*$`` can only match then: this cheap test spares a search through the whole line."""
    return text.rstrip().endswith(ends)


BRACKET_ENDS = (")", "）")
"""How a text must end (before trailing spaces) for a pattern ending in ``[)）]\\s*$`` to match."""

ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十0-9]+[)）]|[0-9]+(?:、|[.．](?!\d))|[0-9]{1,2}:(?=[0-9]{1,2}月|[^0-9])|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十]+[,，、]|第[一二三四五六七八九十百0-9]+[章节篇部分](?![一-龥]{0,2}[,，。]))"
)
COLUMN_TAG = re.compile(r"[^\s(（)）]{6,}\s*[(（][\u4e00-\u9fff·•①-⑳]{2,12}[)）]$")
"""A headline carrying its column's name in brackets (……就有希望和力量（今日谈）, ……（开放促改革促发展）):
six characters at least before the tag (not a name with a note: 某某（男）)."""
TITLE_NOTE = re.compile(r"\s*[(（](?:附?图片?[0-9一二三四五六七八九十]*张?|附图|组图|图文)[)）]\s*$")

OFFICE_SUFFIX = (
    r"(?:局|委员会|委|办公室|办|中心|研究院|研究所|院|所|站|部|处|队|协会|学会|联合会|商会|工会|公司|集团|"
    r"街道办事处|街道|政府|法院|检察院|银行|支行|分行|医院|学校|小学|中学|厅|署|馆|团委|妇联|团县委|总工会|供稿)"
)
OFFICE = re.compile(rf"^[(（]?(?:来源|供稿|稿件来源)?[:：]?\s*[{CJK}（）()]{{1,16}}?{OFFICE_SUFFIX}[)）]?$")
VERBISH = re.compile(r"召开|举行|开展|推进|部署|调研|督导|启动|获|夺|荣登|迎|走进|助力|打造|建设|发布|举办|签约|落地")

FURNITURE = re.compile(
    r"^(?:(?:本版)?(?:责任|值班)?(?:编辑|编审|责编|美编|校对|组版|版式|审读|主任)(?:\s*[:：]|\s+)[^。，,]{0,30}$"
    r"|(?:[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2})\s*(?:(?:星期|周)[一二三四五六日天].{0,30})?$"
    r"|!\[[^\]]*\]\([^)]*\)"
    r"|[^。，,]{0,20}第\s*[0-9一二三四五六七八九十]{1,3}\s*版[^。，,]{0,24}$"
    r"|[^。，,]{0,30}总第\s*[0-9]+\s*期[^。，,]{0,20}$"
    r"|(?:第\s*[0-9一二三四五六七八九十]{1,3}\s*版|[A-Z][0-9]{1,2}版?)(?:\s*[:：]?\s*[^。，,]{0,12})?$)"
)
"""Page furniture: editor lines (责任编辑：…, 本版责任编辑：…), page headers (…日 星期二 第1版 要闻, 2021-05-06)."""

CELL_GAP = re.compile(r"[\s|]+")
TIME_ROW = re.compile(r"^[0-9]{1,2}[:：][0-9]{2}\s")
CONTACT = re.compile(
    r"^(?:[^\s:：,，。]{0,4}(?:电话|热线|账号|帐号)|地址|邮编|网址|传真|邮箱|联系人|QQ|微信|户名|开户银行|开户行|收款单位)\s*[:：]"
)


def is_listing(folded: str) -> bool:
    """A row of a table or a listing, not a title: a markdown table row (| 指标 | 数值 |), three cells or
    more of which two hold figures (地区生产总值 45.6亿元 增长6.8%), a time and a programme (19:00 新闻联播),
    or a contact line (热线电话：…, 地址：…, 人民币账号：…, 开户银行：…)."""
    text = folded.strip()
    if text[:1] == "|" and text[-1:] == "|":
        return True
    if CONTACT.match(text) or TIME_ROW.match(text):
        return True
    if " " not in text and "|" not in text:
        return False
    cells = [cell for cell in CELL_GAP.split(text) if cell]
    return len(cells) >= 3 and sum(1 for cell in cells if any(c.isdigit() for c in cell)) >= 2


SIGNING_DATE = re.compile(
    r"(?:[0-9]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
"""A full date alone on a line (2021年5月6日, 二○二一年五月六日): after an article's text, the date its
signer (某某县人民政府, 中华人民共和国主席…) put under it; above the first title, the page's date."""


def is_signing_date(folded: str) -> bool:
    """Is a folded line a full date alone (:data:`SIGNING_DATE`)? Every such date holds 年 (tested first)."""
    return "年" in folded and SIGNING_DATE.fullmatch(folded) is not None


FURNITURE_FIRST = frozenset("本责值编美校组审主第!0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""How a line that :data:`FURNITURE` matches without 版 or 期 in it starts: an editor line (本版, 责任,
值班, 编辑 …), a date, an image link, a page name (A1)."""


def is_furniture(folded: str) -> bool:
    """``FURNITURE.match(folded)``, tried only on a line that holds 版 or 期 or starts as one of the
    other forms does (:data:`FURNITURE_FIRST`)."""
    if "版" not in folded and "期" not in folded and folded[:1] not in FURNITURE_FIRST:
        return False
    return FURNITURE.match(folded) is not None


RULE = re.compile(r"^[\s\-—_*＊=＝~～·•.。…#+]{3,}$")
"""A separator line (---, ***, ……): no text."""
RULE_FIRST = frozenset("-—_*＊=＝~～·•.。…#+")
"""The characters of :data:`RULE` other than spaces: a line starting otherwise is no rule."""


def is_rule(folded: str) -> bool:
    """``RULE.match(folded)``, tried only on a line that starts with a character of a rule."""
    first = folded[:1]
    return (first in RULE_FIRST or first.isspace()) and RULE.match(folded) is not None


END_MARK = re.compile(r"[(（]\s*(?:完|全文完|未完待续|待续|续完)\s*[)）]\s*$")
"""(完): the end of an article, not text."""

CLOSING_DATELINE = re.compile(r"^[(（](?:据)?(?:本报|新华社|中新社)[^()（）。，]{0,24}?电[)）]$")
"""（本报莫斯科１月４日电）: the dateline some papers print at an article's end (width-folded, spaces out)."""


def is_closing_dateline(folded: str) -> bool:
    """Is the line only a closing dateline, （新华社北京１月４日电）? Never a title line: it closes the
    article above."""
    text = folded.strip()
    return text[:1] == "(" and text.endswith("电)") and CLOSING_DATELINE.match(text.replace(" ", "")) is not None


NON_INITIAL = set("，、。；：,;:）)”’》」』的地得了着过们么吗呢吧啊等及并且则之也都就才又")
"""Characters no sentence starts with (not 其: 其中, 其次, 其实 and 其他 open many)."""
BREAK_ROLES = "记者通讯员"


def fold_number(text: str) -> int | None:
    """Arabic or Chinese numerals up to 99 (五, 十二, 二十, 三十一) -> int."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
        return value if all(c in digits for c in tens + ones) else None
    if len(text) == 1 and text in digits:
        return digits[text]
    return None


def marker_of(folded: str) -> tuple[str, str] | None:
    """``("on" | "from", page)`` when the whole line is a continuation marker."""
    if "版" not in folded:
        return None  # every marker names a page (both forms of MARKER_LINE hold 版)
    match = MARKER_LINE.match(folded)
    if not match:
        return None
    direction = match.group("dir") or match.group("bdir")
    page = (match.group("page") or match.group("bpage")).replace(" ", "")
    return ("on" if direction in ("下转", "转") else "from", page)


def is_office(folded: str) -> bool:
    """A short line that names an issuing office, e.g. 区农业农村局 or （来源：县委办）."""
    bare = folded.replace(" ", "")
    return len(bare) <= 18 and bool(OFFICE.match(bare)) and not VERBISH.search(bare)
