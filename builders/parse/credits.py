"""Credits (署名): who wrote, reported or photographed an article.

Credits come as lines of their own (□ 通讯员 甲乙 丙丁, 本报记者 甲乙, 文/甲乙 图/丙丁),
inside the lead (本报讯(记者 甲乙)…, …记者甲乙报道：), at the end of the article
((记者 甲乙)), and after photos (通讯员 甲乙 摄). All forms share one tokenizer: a
role word applies to the names that follow it; a trailing 摄 makes them photographers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from builders.parse.patterns import (
    BOX,
    BRACKET_ENDS,
    CJK,
    NAME,
    OFFICE,
    PHOTO_CREDIT_PAREN,
    ROLE,
    ROLE_ENDS,
    ROLE_LONGEST,
    SEPARATORS,
    ends_with,
    lead_match,
)
from builders.parse.surnames import COMPOUND_SURNAMES, has_surname, split_run
from schema import Byline

NAME_RE = re.compile(rf"^{NAME}$")
MAX_BOXED_OTHER = 6
"""Longest piece of a boxed line that is neither a name nor a role and still lets the line be a
credit (□ 甲乙 丙丁戊己 with a short word between); a longer one makes it a sentence: a bulleted
subhead (● 房租、增值税等方面扶持个体工商户)."""
PHOTO_SUFFIX = re.compile(r"\s*(?:摄影|摄|供图)(?:报道)?\s*$")
PHOTO_ENDS = ("摄影", "摄", "供图", "摄影报道", "摄报道")
"""The words of :data:`PHOTO_SUFFIX`: a text ending otherwise is not searched."""
NOT_NAMES = re.compile(
    r"评论员|编辑部|本报|本刊|本栏|报社|新华社|中新社|记者|通讯员|报道|整理|供稿|撰稿|综合|来源|[0-9]"
)
CREDIT_VERB = re.compile(r"\s*(?:报道|整理|文图|图文|供稿|撰稿|采写)\s*$")
CREDIT_VERB_ENDS = ("报道", "整理", "文图", "图文", "供稿", "撰稿", "采写")
"""A verb closing a credit line: 记者 张三 报道."""
COMMENTATOR = re.compile(rf"^(?:本报|本刊)?(?:特约)?评论员$|^[{CJK}]{{2,12}}(?:课题组|调研组|评论员)$")
COMMENTATOR_ENDS = ("评论员", "课题组", "调研组")
"""How a text that :data:`COMMENTATOR` matches ends (both forms are anchored at the end)."""
ROLE_NAMES = {"reporter_text": "reporter"}
SUFFIX_ROLE = re.compile(rf"({NAME})\s*[/／]\s*(文|图|摄)(?![{CJK}])")
"""A role written after the name (张三/文 李四/图): rewritten to the prefix form (文/张三)."""
ROLE_COLON = re.compile(rf"({'|'.join(sorted(ROLE_ENDS, key=len, reverse=True))})\s*[:：]\s*")
"""A role word printed with a colon before its names (记者：甲乙 通讯员：丙丁, 文：甲乙 图：丙丁, 撰稿：甲乙):
read as the role word and a space."""
SUFFIX_TEXT_PHOTO = re.compile(rf"({NAME})\s+((?:文\s*[/／]\s*图|图\s*[/／]\s*文|图文))\s*$")
"""文/图 written after the name (甲乙 文/图, 甲乙 图文): rewritten to the prefix form (文/图 甲乙)."""
TEXT_PHOTO = re.compile(r"(?:^|(?<=\s))(?:图\s*[/／]\s*文|图文)(?:\s*[/／:：]\s*|\s+)(?=\S)")
"""Text and photos by the names after it, spelt 图/文, 图文/, 图文： or 图文 (甲乙): read as 文/图."""


@dataclass(frozen=True)
class Lead:
    """The 电头 at the start of a lead paragraph."""

    length: int
    """Characters of the paragraph that the 电头 (and its credit) take."""
    bylines: list[Byline]
    date: str | None


ROLE_OPENER = re.compile(r"本报|新华社|中新社|本刊|特约|见习|首席|全媒体|融媒体?|驻|摄影|记者|通讯员|实习生")
"""Where a role word may begin inside run-together text: 新华社记者甲乙本报记者丙丁; a chunk opening on one
(见习记者, 全媒体记者, 融媒记者, 驻站记者) is a role word, not a name run into one."""
ROLE_OPENER_FIRST = frozenset(word[0] for word in ROLE_OPENER.pattern.split("|"))
"""The first characters of the words of :data:`ROLE_OPENER`: a text holding none of them holds no opener."""
ROLE_CHARS = frozenset("摄图记实撰通编校文")
"""A character every match of :data:`ROLE` holds (摄影, 图, 记者, 实习生, 撰稿, 通讯员, 编辑, 校对, 文)."""


def _role_at_start(text: str) -> re.Match[str] | None:
    """``ROLE.match(text)``, not tried on a text holding no character of :data:`ROLE_CHARS` (most names)."""
    return None if ROLE_CHARS.isdisjoint(text) else ROLE.match(text)


PLACE_ENDS = tuple("省市县区旗")
"""How the name of a place ends (玉山县, 青禾区): a piece of three characters or more ending so is no person."""


def names_of(run: str) -> list[str] | None:
    """The names in a run of characters: one name (甲乙), or names run together (甲乙丙丁戊); None when a
    piece names a place (某省玉山县甲乙丙: a reader's signature, where they live and who they are)."""
    if not run or NOT_NAMES.search(run):
        return None
    if NAME_RE.match(run) and (len(run) < 4 or "·" in run or "•" in run or run[:2] in COMPOUND_SURNAMES):
        parts: list[str] | None = [run]
    else:
        parts = split_run(run)
        if parts is None and NAME_RE.match(run):
            parts = [run]
    for part in parts or ():  # (a loop, not a generator: most runs are one name)
        if len(part) >= 3 and part.endswith(PLACE_ENDS):
            return None
    return parts


def _names_before_role(chunk: str) -> tuple[list[str], str] | None:
    """Names run into the role word after them (甲乙本报记者丙丁): (names, the rest)."""
    if ROLE_OPENER_FIRST.isdisjoint(chunk) or ROLE_OPENER.match(chunk):
        return None  # (no opener in it, or one at its start)
    opener = ROLE_OPENER.search(chunk, 1)
    names = names_of(chunk[: opener.start()]) if opener else None
    return (names, chunk[opener.start() :]) if opener and names else None


def _starts_with_names(text: str) -> bool:
    head = _names_before_role(text)
    return head is not None or names_of(text) is not None


def parse_names(text: str, role: str = "unknown", photo: bool = False) -> list[Byline] | None:
    """Names and roles of a credit text, or None when it is not only roles and names.

    Args:
        text: folded credit text such as ``记者 汪宇露 余问清``, ``新华社记者甲乙、本报记者丙丁``
            or, with no separators, ``本报记者甲乙丙丁戊``.
        role: role of names before any role word.
        photo: every name is a photographer (the credit ended in 摄).
    """
    found = _parse_names(text, role, photo)
    return None if found is None else list(found)


@functools.lru_cache(maxsize=4096)
def _parse_names(text: str, role: str, photo: bool) -> tuple[Byline, ...] | None:
    """:func:`parse_names`, memoised: the line kinds, the 电头 and the credits at a paragraph's end
    ask about the same credit texts, and a paper prints its reporters' credits again and again
    (the bylines are frozen; each caller gets a list of its own)."""
    names: list[Byline] = []  # (roles below are the groups of ROLE: reporter_text is a bare 文)
    text = _prefix_roles(text)
    roles: tuple[str, ...] = (role,)
    after_role = False
    for chunk in _spaced_names(text.strip()):
        while chunk:
            head = _names_before_role(chunk)
            if head:
                names.extend(_bylines(head[0], roles, photo))
                chunk, after_role = head[1], False
                continue
            match = _role_at_start(chunk)
            rest = chunk[match.end() :] if match else ""
            if match and match.end() > 0 and (not rest or _starts_with_names(rest) or _role_at_start(rest)):
                new = match.lastgroup or "unknown"
                roles = tuple(dict.fromkeys((*roles, new))) if after_role else (new,)
                chunk, after_role = chunk[match.end() :], True
                continue
            found = names_of(chunk)
            if found is None:
                return None
            names.extend(_bylines(found, roles, photo))
            chunk, after_role = "", False
    return tuple(names)


def _prefix_roles(text: str) -> str:
    """A credit text with every role written after its names, or with a colon, in the prefix form
    (甲乙 文/图 -> 文/图 甲乙, 图文：甲乙 -> 文/图 甲乙, 甲乙/文 -> 文/甲乙, 记者：甲乙 -> 记者 甲乙). Each pattern is
    tried only on a text holding a character every match of it holds (图 or a slash; a colon)."""
    if "图" in text:
        text = SUFFIX_TEXT_PHOTO.sub(r"\2 \1", text)
    text = text.strip()
    if "图" in text:
        text = TEXT_PHOTO.sub("文/图 ", text)
    if "/" in text or "／" in text:
        text = SUFFIX_ROLE.sub(r"\2/\1", text)
    if ":" in text or "：" in text:
        text = ROLE_COLON.sub(r"\1 ", text)
    return text


SINGLE_HAN = re.compile(rf"^[{CJK}]$")
GIVEN = re.compile(rf"^[{CJK}]{{1,2}}$")
SPACED = re.compile(f"({SEPARATORS.pattern})")
LIST_MARKS = frozenset("、，,")
""":data:`SEPARATORS`, kept in the split: whether two chunks were parted by spaces alone."""


def _spaced_names(text: str) -> list[str]:
    """The chunks of a credit text (parted by :data:`SEPARATORS`), a name spaced out to the width of others
    joined again: 甘 霖 -> 甘霖, 阮 一鸣 -> 阮一鸣 (a lone surname, a space, then one or two characters that
    are no role word). A lone role word is a name only right after another or after a list mark (文/甲乙,
    文 甲乙: 文 is the text's role; 本报记者 文 静, 张三、文 静: a name)."""
    parts = SPACED.split(text)
    chunks, gaps = parts[0::2], parts[1::2]
    if 1 not in map(len, chunks):
        return chunks  # (most credits: no chunk of one character, nothing spaced)
    out: list[str] = []
    k = 0
    while k < len(chunks):
        chunk = chunks[k]
        nxt = chunks[k + 1] if k + 1 < len(chunks) else ""
        spaced = k < len(gaps) and gaps[k].isspace()
        listed = k > 0 and gaps[k - 1].strip() in LIST_MARKS  # 张三、文 静: a name of the list
        name_place = not _is_role(chunk) or listed or (bool(out) and _is_role(out[-1]))
        if spaced and name_place and SINGLE_HAN.match(chunk) and has_surname(chunk) and GIVEN.match(nxt) \
                and not _role_at_start(nxt):
            out.append(chunk + nxt)
            k += 2
            continue
        out.append(chunk)
        k += 1
    return out


def _bylines(found: list[str], roles: tuple[str, ...], photo: bool) -> list[Byline]:
    """The names found, each with every role that applies: role words with no name between them all
    apply to the names after them (文/图 甲乙: reporter and photographer; 图/文 通讯员 甲乙: photographer
    and correspondent, whose 通讯员 says who wrote the text)."""
    if photo:
        return [_byline(n, "photographer") for n in found]
    if len(roles) > 1 and "reporter_text" in roles and ("reporter" in roles or "correspondent" in roles):
        roles = tuple(r for r in roles if r != "reporter_text")
    named = [ROLE_NAMES.get(r, r) for r in roles]
    return [_byline(n, r) for n in found for r in named]


@functools.lru_cache(maxsize=4096)
def _byline(name: str, role: str) -> Byline:
    """``Byline(name=name, role=role)``, validated once for a name met before (a byline is frozen)."""
    return Byline(name=name, role=role)


def dedupe(bylines: list[Byline]) -> list[Byline]:
    """Drop repeated names; a name known with a role drops its bare (unknown) mention."""
    known = {b.name for b in bylines if b.role != "unknown"}
    seen: set[tuple[str, str]] = set()
    out = []
    for byline in bylines:
        key = (byline.name, byline.role)
        if key not in seen and not (byline.role == "unknown" and byline.name in known):
            seen.add(key)
            out.append(byline)
    return out


def _is_role(chunk: str) -> bool:
    """A chunk that is a role word and nothing else (记者, 本报通讯员, 文)."""
    if len(chunk) > ROLE_LONGEST or not chunk.endswith(ROLE_ENDS):
        return False  # no role word could take the whole chunk: spare the pattern
    match = ROLE.match(chunk)
    return bool(match) and match is not None and match.end() == len(chunk)


MAX_CREDIT = 60
"""Longest credit line, its box, photo word (摄) and verb (报道) aside."""
TAIL_ENDS = PHOTO_ENDS + CREDIT_VERB_ENDS
ROLE_HINT = re.compile("记者|实习生|撰|摄|图|通讯员|编|校对|文")
"""What every role word holds (it ends in one of :data:`ROLE_ENDS`): a line without one names no role."""
TITLE_LEAD_IN = re.compile(r"(?:——|—|[:：])$")
"""A line ending in —— or ： leads into the line after it: a kicker, never a credit."""


def _glued_role(text: str) -> bool:
    """A line that opens with a role word run into the names: 本报记者甲乙, 本报驻某国记者丙丁."""
    if ROLE_OPENER.match(text) is None:  # the cheaper test first
        return False
    match = ROLE.match(text)
    if not match or match.end() == 0:
        return False
    names = parse_names(text)
    return bool(names) and names is not None and all(has_surname(b.name) for b in names)


def _may_name_role(text: str) -> bool:
    """Could the line name a role (a role word, or a commentator: 本报评论员)?"""
    return text.endswith(COMMENTATOR_ENDS) or ROLE_HINT.search(text) is not None


def credit_line(folded: str) -> list[Byline] | None:
    """Bylines of a line that is only a credit, else None.

    ``□ 甲乙`` -> unknown; ``本报记者 甲乙`` -> reporter; ``通讯员 甲乙 摄`` -> photographer;
    ``□ 本报评论员`` -> a credit line naming no person (empty list).
    """
    text = folded.strip()
    if text.endswith(("—", ":", "：")):  # TITLE_LEAD_IN (the text is stripped: no newline for $ to stop before)
        return None  # ■ 某医院检验科主任某某——: a kicker that the next line completes
    boxed = text[:1] in BOX
    if not boxed and not text.endswith(TAIL_ENDS) and (len(text) > MAX_CREDIT or not _may_name_role(text)):
        return None  # too long for a credit, or no role in it (the checks below, in short)
    found = _credit_line(text, boxed)
    return None if found is None else list(found)


@functools.lru_cache(maxsize=1024)
def _credit_line(text: str, boxed: bool) -> tuple[Byline, ...] | None:
    """The rest of :func:`credit_line`, memoised: the line kinds and the assembler ask about the
    same credit lines (the bylines are frozen; each caller gets a list of its own)."""
    text = text.lstrip(BOX).strip()
    if "图" in text:  # (every match of the two holds it)
        text = TEXT_PHOTO.sub("文/图 ", SUFFIX_TEXT_PHOTO.sub(r"\2 \1", text))  # 图文：甲乙, 甲乙 图/文 -> 文/图 甲乙
    colon = (":" in text or "：" in text) and ROLE_COLON.search(text) is not None
    if colon:
        text = ROLE_COLON.sub(r"\1 ", text).strip()  # 记者：甲乙 -> 记者 甲乙
    photo = ends_with(text, PHOTO_ENDS) and bool(PHOTO_SUFFIX.search(text)) and len(text) > 2
    if photo:
        text = PHOTO_SUFFIX.sub("", text)
    elif ends_with(text, CREDIT_VERB_ENDS):
        text = CREDIT_VERB.sub("", text)
    if not text or len(text) > MAX_CREDIT:
        return None
    if (text.endswith(COMMENTATOR_ENDS) and COMMENTATOR.match(text)) or (boxed and OFFICE.match(text)):
        return ()
    has_role = any(_is_role(chunk) for chunk in SEPARATORS.split(text)) or _glued_role(text)
    if not (boxed or has_role or photo):
        return None
    names = parse_names(text, "unknown", photo)
    if names is None and boxed and len(text) <= 40 and not re.search(r"[。，,；;：:！？]", text):
        # a boxed credit always is one (□ 甲乙 丙丁戊己): keep the tokens that are names
        tokens = [t for t in SEPARATORS.split(text) if t]
        kept = [t for t in tokens if NAME_RE.match(t) or _is_role(t)]
        if any(len(t) > MAX_BOXED_OTHER for t in tokens if t not in kept):
            return None  # ● 房租、增值税等方面扶持个体工商户: a bulleted subhead, not a credit
        names = parse_names(" ".join(kept), "unknown", photo) or []
    if colon and names and not all(has_surname(b.name) for b in names):
        return None  # 记者：好的, a question and its answer in an interview: a credit names people
    return tuple(dedupe(names)) if names is not None and (names or boxed) else None


def credit_tail(folded: str) -> tuple[int, list[Byline]] | None:
    """Split ``… 通讯员 甲乙 摄`` into (end of the text before the credit, photographers).

    Walks whitespace-separated tokens back from the end while they are names or roles.
    """
    stripped = folded.rstrip()  # (ends_with, once for both tests)
    paren = PHOTO_CREDIT_PAREN.search(folded) if stripped.endswith(BRACKET_ENDS) else None
    if paren:
        names = parse_names(paren.group("credit"), photo=True)
        return (paren.start(), names) if names else None
    match = PHOTO_SUFFIX.search(folded) if stripped.endswith(PHOTO_ENDS) else None
    if not match:
        return None
    head = folded[: match.start()]
    cut, names = len(head), None
    for token in reversed(list(re.finditer(r"\S+", head))):
        candidate = parse_names(head[token.start() : len(head)], photo=True)
        if candidate is None:
            break
        cut, names = token.start(), candidate
    if not names:
        return None
    return len(head[:cut].rstrip()), names


CLOSING_BRACKETS = re.compile(r"[(（]\s*([^()（）]{2,400}?)\s*[)）]\s*$")
"""A bracketed text ending the paragraph: a closing credit's brackets."""
CLOSING_VERB = re.compile(r"\s*(?:参与采写|参加采写|参与|采写|报道|综合报道|整理)\s*$")
"""What may follow the last name of a closing credit: （本报记者甲乙、丙丁报道）, （…戊己参与采写）."""
SPACED_NAME = re.compile(rf"^[{CJK}](?: [{CJK}]){{1,2}}$")
"""A two- or three-character name spaced out to the width of others: （甲  乙）."""


def end_credit(folded: str) -> tuple[int, list[Byline]] | None:
    """A closing credit ``（甲乙）`` / ``（记者 甲乙 通讯员 丙丁）`` at the end of a paragraph.

    Long credits of a team (``（本报记者甲乙、丙丁、…、戊己报道）``), a spaced name ``（甲  乙）``
    and a verb after the last name (报道, 参与采写) are closing credits too.
    """
    if not ends_with(folded, BRACKET_ENDS):
        return None
    found = _end_credit(folded)
    return None if found is None else (found[0], list(found[1]))


@functools.lru_cache(maxsize=1024)
def _end_credit(folded: str) -> tuple[int, tuple[Byline, ...]] | None:
    """:func:`end_credit` of a text ending in a bracket, memoised: the line kinds, the labeller's
    features and the assembler ask about the same lines."""
    match = CLOSING_BRACKETS.search(folded)
    if not match or OFFICE.match(match.group(1).replace(" ", "")):
        return None
    content = CLOSING_VERB.sub("", match.group(1))
    photo = bool(PHOTO_SUFFIX.search(content))
    content = PHOTO_SUFFIX.sub("", content) if photo else content
    tail = content.rsplit("记者", 1)[-1] if "记者" in content else content
    if SPACED_NAME.match(tail.strip()):
        content = content[: len(content) - len(tail)] + tail.replace(" ", "")
    names = parse_names(content, photo=photo)
    if not names:
        return None
    return match.start(), tuple(dedupe(names))


def loose_credit(folded: str) -> tuple[int, list[Byline]] | None:
    """A credit with no brackets after the 电头: ``通讯员 甲乙 记者 丙丁 3月5日,…``.

    Takes space-separated tokens while they are roles and names; needs a role word
    and a space before the text that follows.
    """
    best: tuple[int, list[Byline]] | None = None
    for token in re.finditer(r"\S+", folded):
        if token.start() > 60:
            break
        names = parse_names(folded[: token.end()])
        if names is None:
            break
        if names and ROLE.match(folded.lstrip()) and token.end() < len(folded) and folded[token.end()].isspace():
            best = (token.end() + len(folded[token.end() :]) - len(folded[token.end() :].lstrip()), names)
    return best


SENTENCE_CREDIT = re.compile(
    rf"\s*(?P<credit>(?:本报|新华社)?(?:特约|见习)?记者[{CJK}]{{2,3}}?)(?=从|在|获悉|了解到|近日|日前|今天|昨天|今日|昨日)"
)
"""A reporter who is the subject of the lead's sentence: 本报讯记者甲乙从…获悉 (the text stays)."""


REPORTED = re.compile(r"报道\s*[:：]\s*")
"""The verb closing a loose credit of the 电头: 本报讯 全媒体记者 甲乙 通讯员 丙丁 报道：…"""


def lead(folded: str) -> Lead | None:
    """The 电头 opening ``folded`` (本报讯, 本报某地１月４日讯 记者甲乙报道：, 新华社…电（记者…）)."""
    match = lead_match(folded)
    if not match:
        return None
    bylines: list[Byline] = []
    if not match.group("credit") and not match.group("credit2"):
        loose = loose_credit(folded[match.end() :])
        if loose:
            verb = REPORTED.match(folded, match.end() + loose[0])
            return Lead(verb.end() if verb else match.end() + loose[0], loose[1], match.group("date"))
    if not match.group("credit") and not match.group("credit2"):
        spoken = SENTENCE_CREDIT.match(folded, match.end())
        names = parse_names(spoken.group("credit")) if spoken else None
        if names:
            return Lead(match.end(), names, match.group("date"))
    for group in ("credit", "credit2"):
        text = match.group(group)
        if text:
            names = parse_names(text)
            if names is None and group == "credit":
                return Lead(match.start("credit") - 1, [], match.group("date"))
            bylines.extend(names or [])
    return Lead(match.end(), dedupe(bylines), match.group("date"))
