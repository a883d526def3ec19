"""What a page of the site shows: its lines, its problems, its articles as cards.

Plain data, computed once here, so the templates only lay it out (and escape it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from builders.review.lines import PALETTE, LineView, page_lines
from builders.review.source import ReviewInput
from schema import CODES, Article, Problem

ROLES = {"reporter": "记者", "correspondent": "通讯员", "photographer": "摄影", "editor": "编辑", "unknown": "署名"}


@dataclass(frozen=True)
class Field:
    """One labelled row of an article card."""

    label: str
    values: list[str]


@dataclass
class ArticleView:
    """An article as a card on the right."""

    ordinal: int
    id: str
    headline: str
    kind: str
    titles: list[tuple[str, str]]
    """``(role, text)``: 栏目 column, 引题 kicker, 主题 headline, 副题 subheadline."""
    bylines: list[tuple[str, str]]
    paragraphs: list[str]
    body_chars: int
    """Non-whitespace characters of the body (the record's ``char_count``)."""
    flags: list[str]
    fields: list[Field]
    """Everything else that is set: reading tip, captions, sidebars, markers, dateline, officials…"""
    lines: list[int] = field(default_factory=list)

    @property
    def colour(self) -> str:
        return f"c{self.ordinal % PALETTE}"

    @property
    def first_line(self) -> int | None:
        return self.lines[0] if self.lines else None


@dataclass(frozen=True)
class ProblemView:
    """A problem of the page, as listed above its text."""

    code: str
    severity: str
    line: int | None
    message: str


@dataclass
class PageView:
    """One source page: its lines on the left, its articles on the right."""

    source_file: str
    slug: str
    lines: list[LineView]
    articles: list[ArticleView]
    problems: list[ProblemView]
    notes: list[str]
    has_text: bool

    @property
    def flags(self) -> Counter[str]:
        return Counter(f for a in self.articles for f in a.flags)

    @property
    def codes(self) -> Counter[str]:
        return Counter(p.code for p in self.problems)

    @property
    def rejects(self) -> int:
        return sum(p.severity == "reject" for p in self.problems)

    @property
    def loose_lines(self) -> int:
        return sum(line.loose for line in self.lines)


def title_rows(article: Article) -> list[tuple[str, str]]:
    """The title block with roles, in reading order."""
    rows = [("栏目 column", article.column)] if article.column else []
    for text in article.title_lines:
        if text == article.headline:
            rows.append(("主题 headline", text))
        elif text == article.kicker:
            rows.append(("引题 kicker", text))
        elif text == article.subheadline:
            rows.append(("副题 subheadline", text))
        else:
            rows.append(("题 title", text))
    if article.headline not in article.title_lines:
        rows.append(("主题 headline", article.headline))
    return rows


def _fields(a: Article) -> list[Field]:
    rows = [
        Field("阅读提示 reading tip", [a.reading_tip] if a.reading_tip else []),
        Field("图片说明 captions", [c.text + "".join(f" （{b.name} 摄）" for b in c.credits) for c in a.captions]),
        Field("边栏 sidebars", [f"【{s.title}】{s.text}" for s in a.sidebars]),
        Field("上接 continued from", [a.continued_from] if a.continued_from else []),
        Field("下转 continued on", [a.continued_on] if a.continued_on else []),
        Field("来源 attribution", [a.attribution] if a.attribution else []),
        Field("电头日期 dateline", [_dateline(a)] if a.dateline else []),
        Field("日期 date", [f"{a.date.isoformat() if a.date else '—'} (year {a.year or '—'}: {a.year_evidence or '—'})"]
              if a.year or a.date else []),
        Field("地区 region", [f"{a.region.province}{a.region.prefecture}{a.region.county} {a.region.code}"]
              if a.region else []),
        Field("官员 officials", [f"{o.title} {o.name}" for o in a.officials]),
        Field("人名 persons", [" · ".join(a.persons)] if a.persons else []),
        Field("地名 places", [" · ".join(a.places)] if a.places else []),
        Field("机构 organizations", [" · ".join(a.organizations)] if a.organizations else []),
        Field("关键词 keywords", [" · ".join(a.keywords)] if a.keywords else []),
        Field("清单 manifest", [", ".join(a.manifest_fields)] if a.manifest_fields else []),
    ]
    return [row for row in rows if row.values]


def _dateline(a: Article) -> str:
    d = a.dateline
    assert d is not None
    return f"{d.month}月{d.day}日" + (f" (周{'一二三四五六日'[d.weekday - 1]})" if d.weekday else "")


def article_view(article: Article, lines: list[LineView]) -> ArticleView:
    return ArticleView(
        ordinal=article.ordinal,
        id=article.id,
        headline=article.headline,
        kind=article.kind,
        titles=title_rows(article),
        bylines=[(ROLES[b.role], b.name) for b in article.bylines],
        paragraphs=[p for p in article.body.split("\n") if p],
        body_chars=article.char_count,
        flags=list(article.flags),
        fields=_fields(article),
        lines=[line.number for line in lines if article.ordinal in line.owners],
    )


def problem_view(problem: Problem) -> ProblemView:
    return ProblemView(problem.code, problem.severity, problem.line, problem.message)


def page_view(page: ReviewInput, slug: str) -> PageView:
    """Everything one page of the site shows."""
    lines = page_lines(page.text, page.articles, page.problems, page.assignments) if page.text is not None else []
    return PageView(
        source_file=page.source_file,
        slug=slug,
        lines=lines,
        articles=[article_view(a, lines) for a in sorted(page.articles, key=lambda a: a.ordinal)],
        problems=[problem_view(p) for p in page.problems],
        notes=list(page.notes),
        has_text=page.text is not None,
    )


def code_meaning(code: str) -> str:
    """The stable meaning of a problem code (empty for an unknown code)."""
    return CODES.get(code, ("", ""))[1]
