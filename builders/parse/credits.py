"""Credits (署名): who wrote, reported or photographed an article.

Credits come as lines of their own (□ 通讯员 甲乙 丙丁, 本报记者 甲乙, 文/甲乙 图/丙丁),
inside the lead (本报讯(记者 甲乙)…, …记者甲乙报道：), at the end of the article
((记者 甲乙)), and after photos (通讯员 甲乙 摄). All forms share one tokenizer: a
role word applies to the names that follow it; a trailing 摄 makes them photographers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builders.parse.patterns import BOX, CJK, LEAD, NAME, OFFICE, PHOTO_CREDIT_PAREN, ROLE, SEPARATORS
from schema import Byline

NAME_RE = re.compile(rf"^{NAME}$")
PHOTO_SUFFIX = re.compile(r"\s*(?:摄影|摄|供图)\s*$")
NOT_NAMES = re.compile(r"评论员|编辑部|本报|本刊|报社|记者|通讯员|报道|整理|供稿|撰稿|综合|来源|[0-9]")
CREDIT_VERB = re.compile(r"\s*(?:报道|整理|文图|图文|供稿|撰稿|采写)\s*$")
"""A verb closing a credit line: 记者 张三 报道."""
COMMENTATOR = re.compile(rf"^(?:本报|本刊)?(?:特约)?评论员$|^[{CJK}]{{2,12}}(?:课题组|调研组|评论员)$")
ROLE_NAMES = {"reporter_text": "reporter"}
SUFFIX_ROLE = re.compile(rf"({NAME})\s*[/／]\s*(文|图|摄)(?![{CJK}])")
"""A role written after the name (张三/文 李四/图): rewritten to the prefix form (文/张三)."""


@dataclass(frozen=True)
class Lead:
    """The 电头 at the start of a lead paragraph."""

    length: int
    """Characters of the paragraph that the 电头 (and its credit) take."""
    bylines: list[Byline]
    date: str | None


def _role_of(match: re.Match[str]) -> str:
    group = match.lastgroup or "unknown"
    return ROLE_NAMES.get(group, group)


def parse_names(text: str, role: str = "unknown", photo: bool = False) -> list[Byline] | None:
    """Names and roles of a credit text, or None when it is not only roles and names.

    Args:
        text: folded credit text such as ``记者 汪宇露 余问清`` or ``新华社记者甲乙、本报记者丙丁``.
        role: role of names before any role word.
        photo: every name is a photographer (the credit ended in 摄).
    """
    names: list[Byline] = []
    text = SUFFIX_ROLE.sub(r"\2/\1", text)
    for chunk in SEPARATORS.split(text.strip()):
        while chunk:
            match = ROLE.match(chunk)
            rest = chunk[match.end() :] if match else ""
            if match and match.end() > 0 and (not rest or NAME_RE.match(rest) or ROLE.match(rest)):
                role, chunk = _role_of(match), chunk[match.end() :]
                continue
            if not NAME_RE.match(chunk) or NOT_NAMES.search(chunk):
                return None
            names.append(Byline(name=chunk, role="photographer" if photo else role))
            chunk = ""
    return names


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
    match = ROLE.match(chunk)
    return bool(match) and match is not None and match.end() == len(chunk)


def credit_line(folded: str) -> list[Byline] | None:
    """Bylines of a line that is only a credit, else None.

    ``□ 甲乙`` -> unknown; ``本报记者 甲乙`` -> reporter; ``通讯员 甲乙 摄`` -> photographer;
    ``□ 本报评论员`` -> a credit line naming no person (empty list).
    """
    text = folded.strip()
    boxed = text[:1] in BOX
    text = text.lstrip(BOX).strip()
    photo = bool(PHOTO_SUFFIX.search(text)) and len(text) > 2
    text = PHOTO_SUFFIX.sub("", text) if photo else CREDIT_VERB.sub("", text)
    if not text or len(text) > 60:
        return None
    if COMMENTATOR.match(text) or (boxed and OFFICE.match(text)):
        return []
    has_role = any(_is_role(chunk) for chunk in SEPARATORS.split(text))
    if not (boxed or has_role or photo):
        return None
    names = parse_names(text, "unknown", photo)
    if names is None and boxed and len(text) <= 40 and not re.search(r"[。，,；;：:！？]", text):
        # a boxed credit always is one (□ 甲乙 丙丁戊己): keep the tokens that are names
        kept = [t for t in SEPARATORS.split(text) if NAME_RE.match(t) or _is_role(t)]
        names = parse_names(" ".join(kept), "unknown", photo) or []
    return dedupe(names) if names is not None and (names or boxed) else None


def credit_tail(folded: str) -> tuple[int, list[Byline]] | None:
    """Split ``… 通讯员 甲乙 摄`` into (end of the text before the credit, photographers).

    Walks whitespace-separated tokens back from the end while they are names or roles.
    """
    paren = PHOTO_CREDIT_PAREN.search(folded)
    if paren:
        names = parse_names(paren.group("credit"), photo=True)
        return (paren.start(), names) if names else None
    match = PHOTO_SUFFIX.search(folded)
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


def end_credit(folded: str) -> tuple[int, list[Byline]] | None:
    """A closing credit ``（甲乙）`` / ``（记者 甲乙 通讯员 丙丁）`` at the end of a paragraph."""
    match = re.search(r"[(（]\s*([^()（）]{2,40}?)\s*[)）]\s*$", folded)
    if not match or OFFICE.match(match.group(1).replace(" ", "")):
        return None
    content = match.group(1)
    photo = bool(PHOTO_SUFFIX.search(content))
    names = parse_names(PHOTO_SUFFIX.sub("", content) if photo else content, photo=photo)
    if not names:
        return None
    return match.start(), dedupe(names)


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


def lead(folded: str) -> Lead | None:
    """The 电头 opening ``folded`` (本报讯, 本报某地１月４日讯 记者甲乙报道：, 新华社…电（记者…）)."""
    match = LEAD.match(folded)
    if not match:
        return None
    bylines: list[Byline] = []
    if not match.group("credit") and not match.group("credit2"):
        loose = loose_credit(folded[match.end() :])
        if loose:
            return Lead(match.end() + loose[0], loose[1], match.group("date"))
    for group in ("credit", "credit2"):
        text = match.group(group)
        if text:
            names = parse_names(text)
            if names is None and group == "credit":
                return Lead(match.start("credit") - 1, [], match.group("date"))
            bylines.extend(names or [])
    return Lead(match.end(), dedupe(bylines), match.group("date"))
