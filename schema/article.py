"""The article record: what one row of the dataset holds.

Every other view of a record -- the Arrow schema of the Parquet files, the JSON
Schema shipped with a release, the ``features`` of the dataset card -- is derived
from these models, so a field is declared once, here, with its description.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0.0"
"""Version of the record layout; bumped by the rules in README ("Versioning")."""

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Kebab = Annotated[str, Field(pattern=KEBAB)]
NonEmpty = Annotated[str, Field(min_length=1)]

Role = Literal["reporter", "correspondent", "photographer", "editor", "unknown"]
Kind = Literal["news", "photo"]
ReuseKind = Literal["original", "reprint", "partial"]
ID = r"^[0-9a-f]{16}$"


class Record(BaseModel):
    """Base of every model: unknown keys are refused, instances are immutable. Every key is written
    (a default too), so the JSON Schema of a written record requires every key."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_serialization_defaults_required=True)


class Span(Record):
    """A half-open range ``[start, end)`` of characters in the decoded page text."""

    start: int = Field(ge=0, description="First character offset (0-based, inclusive).")
    end: int = Field(ge=0, description="Last character offset (exclusive).")


class Byline(Record):
    """A credited person (署名)."""

    name: NonEmpty = Field(description="Person's name as printed, e.g. 汪宇露.")
    role: Role = Field(
        description="reporter (记者), correspondent (通讯员), photographer (摄/摄影), "
        "editor (编辑), or unknown (a bare □ name with no role)."
    )


class Caption(Record):
    """A photo caption (图片说明) with its photo credits."""

    text: NonEmpty = Field(description="Caption text without the credit, e.g. 图为…一景.")
    credits: list[Byline] = Field(description="Photographers credited in the caption (… 摄).")


class Sidebar(Record):
    """A boxed side piece printed with the article (记者手记, 相关链接, 短评…)."""

    title: NonEmpty = Field(description="The box's label, e.g. 记者手记.")
    text: str = Field(description="The box's paragraphs joined by a single newline.")


class Dateline(Record):
    """The date printed in the lead (电头/导语), as printed: no year."""

    month: int = Field(ge=1, le=12, description="Month as printed in the lead (月).")
    day: int = Field(ge=1, le=31, description="Day of month as printed in the lead (日).")
    weekday: int | None = Field(
        ge=1, le=7, description="ISO weekday 1-7 (周一…周日) when printed next to the date, e.g. (周六) -> 6."
    )


class Official(Record):
    """A person named together with their post (职务), e.g. 县委书记蓝伶俐."""

    name: NonEmpty = Field(description="The official's name, e.g. 蓝伶俐.")
    title: NonEmpty = Field(
        description="The post(s) as printed before the name, e.g. 县委副书记、县长; a leading county, "
        "prefecture or province name is dropped (庆元县委书记 -> 县委书记)."
    )


class Region(Record):
    """A county-level administrative unit (县级行政区) with its GB/T 2260 code."""

    code: str = Field(pattern=r"^\d{6}$", description="6-digit administrative division code (行政区划代码).")
    province: str = Field(description="Province (省), e.g. 浙江省.")
    prefecture: str = Field(description="Prefecture-level city (地级市), e.g. 丽水市.")
    county: str = Field(description="County-level unit (县/区/县级市), e.g. 庆元县.")


class ReusedSpan(Record):
    """A passage of the body that another record prints too."""

    start: int = Field(ge=0, description="First character of the passage in this record's body (0-based, inclusive).")
    end: int = Field(ge=0, description="End of the passage in this record's body (exclusive).")
    other_id: str = Field(pattern=ID, description="id of the record whose body holds the same passage.")


class Reuse(Record):
    """Text reuse: whether the record is a reprint of, or quotes, another record of the release."""

    cluster: str | None = Field(
        pattern=ID,
        description="Reprint cluster: the smallest id among the records that print the same story (verified "
        "near-duplicates: 5-gram containment >= 0.7, lead and credits left out); null when the record is alone.",
    )
    kind: ReuseKind = Field(
        description="original (alone, or the source of its cluster), reprint (a cluster member that is not its "
        "source; every member when the source is unknown) or partial (prints a passage of >= ~150 characters "
        "of another record, which is not its source of the same day or later)."
    )
    source_id: str | None = Field(
        pattern=ID,
        description="The cluster's earliest member by date, then page, source file and position; null when "
        "the record is alone or a member has no date.",
    )
    similarity: float | None = Field(
        ge=0,
        le=1,
        description="Containment with the closest linked record: the share of the shorter text's 5-grams "
        "(normalised characters) found in the other; null when there is none.",
    )
    passages: list[ReusedSpan] = Field(
        description="Character spans of the body printed in another record too (with that record's id): "
        "against the closest cluster member, and every passage shared with a record outside the cluster. "
        "(Not named spans: mlcroissant confuses two fields of one name, and the record's spans are page offsets.)"
    )
    credited_to: str | None = Field(
        description="The outlet the record credits as its source, as printed: a 新华社/人民日报 lead, "
        "据…电, 来源：… (null when none is printed)."
    )


class ArticleDraft(Record):
    """An article as the page parser finds it: layout and text, before enrichment."""

    id: str = Field(
        pattern=ID,
        description="Stable ID: first 16 hex digits of SHA-256 over source_sha256, title lines "
        "and body (see README); unchanged across releases while source and content are.",
    )
    source_file: NonEmpty = Field(description="Seed page the article comes from: POSIX path relative to seeds/.")
    source_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the seed file's raw bytes (hex).")
    spans: list[Span] = Field(
        min_length=1,
        description="Character ranges of the decoded page text the article was built from; "
        "more than one where a misplaced fragment was re-attached.",
    )
    ordinal: int = Field(ge=0, le=100_000, description="0-based position of the article on its page.")
    column: str | None = Field(description="Page or column banner (栏目/专栏) printed above the article.")
    kicker: str | None = Field(description="Kicker line (引题) above the headline.")
    headline: NonEmpty = Field(description="Headline (主题), the main title line.")
    subheadline: str | None = Field(description="Subheadline (副题) below the headline.")
    title_lines: list[str] = Field(
        description="Every title line in reading order (引题, 主题, 副题), markdown # removed."
    )
    reading_tip: str | None = Field(description="Reading tip or editor's note (阅读提示/编者按) block.")
    bylines: list[Byline] = Field(description="Credited reporters, correspondents and photographers (署名).")
    body: str = Field(
        description="Body paragraphs joined by a single newline; page breaks re-joined; "
        "the leading 本报讯 marker and its credit removed (they live in bylines)."
    )
    captions: list[Caption] = Field(description="Photo captions (图片说明) with their credits.")
    sidebars: list[Sidebar] = Field(description="Boxed side pieces (记者手记, 相关链接…).")
    attribution: str | None = Field(description="Closing source line naming an office, e.g. 区农业农村局.")
    continued_on: str | None = Field(description="Page named in a (下转第X版) marker, e.g. 第二版.")
    continued_from: str | None = Field(description="Page named in an (上接第X版) marker, e.g. 第一版.")
    kind: Kind = Field(description="news (消息/通讯) or photo (图片新闻: a picture with its text).")
    dateline: Dateline | None = Field(description="Month and day of the first date in the lead.")
    flags: list[Kebab] = Field(
        description="Quality flags (stable kebab-case codes), e.g. truncated, reattached-fragment, latin-noise."
    )


class Article(ArticleDraft):
    """A released article: the parsed draft plus identity, enrichment and provenance."""

    year: int | None = Field(
        ge=1900, le=2100, description="Year the page was printed, when the evidence is unambiguous."
    )
    year_evidence: str | None = Field(
        description="How the year was known: manifest; path:<date as the file path writes it> (20200103-11.txt); "
        "or the agreeing evidence of the text joined by '; ': event:<text> (十四五开局, 建党100周年), "
        "weekday:<dateline> (a date printed with its weekday), banner:<date and weekday> (a page banner), "
        "dated:<full date> before <dateline> (a dated event a few days before a dispatch), past-year:<text> "
        "(刚刚过去的2019年), year-ended:<text> (截至2019年底 on a page of January to March: the next year), "
        "explicit-year:<text> (the latest year written as a date, on a page whose datelines fall in April to "
        "November, or named as this year: 2020年是…). A plan's target or deadline (到2035年, 2023年前) is never "
        "the print year. Null with year when evidence conflicts or does not settle it."
    )
    date: datetime.date | None = Field(
        description="ISO date: the print date from the manifest or the file path, else the page year with the "
        "article's dateline (month, day)."
    )
    newspaper: str | None = Field(description="Newspaper name (报名), from seeds/manifest.csv.")
    page: str | None = Field(
        description="Page (版面) as given in seeds/manifest.csv, else as the file name writes it after its date "
        "(20200103-11.txt: 11), e.g. 01."
    )
    url: str | None = Field(description="Where the page was found, from seeds/manifest.csv.")
    license: str | None = Field(description="License of the page text, from seeds/manifest.csv.")
    manifest_fields: list[str] = Field(
        description="Names of the fields whose value came from seeds/manifest.csv rather than the text."
    )
    path_fields: list[str] = Field(
        description="Names of the fields whose value came from the seed file's path (date, year, page) "
        "rather than the text; the manifest wins over the path."
    )
    tokens: list[str] = Field(
        description="jieba segmentation of the body (accurate mode, HMM on, shipped user dictionary of place "
        "names and posts). Punctuation is kept, whitespace tokens dropped: the tokens joined give the body "
        "without whitespace."
    )
    token_count: int = Field(ge=0, description="Number of tokens.")
    char_count: int = Field(ge=0, description="Non-whitespace characters of the body (the tokens' total length).")
    keywords: list[str] = Field(
        description="Up to 10 keywords of the article by TF-IDF over its tokens (jieba's IDF table), stop words, "
        "numbers and single characters removed; ties in order of first mention."
    )
    persons: list[str] = Field(
        description="People named in the article (人名): bylines first, then names in the body in order of "
        "first mention (officials, people listed after them with 、 or named right after a role word such as "
        "村民 or 志愿者, and names jieba tags nr that pass the name filters); no places or organisations."
    )
    places: list[str] = Field(
        description="Places named in the article (地名): administrative names, named places and towns "
        "(百山祖镇), in order of first mention."
    )
    organizations: list[str] = Field(
        description="Organizations named in the article (机构名): dictionary organizations and names ending "
        "in an organ word (开化农商银行), in order of first mention."
    )
    officials: list[Official] = Field(
        description="People named right after their post (职务), e.g. 县委书记蓝伶俐; de-duplicated."
    )
    region: Region | None = Field(
        description="The county-level unit the page is about, with its GB/T 2260 code: the manifest's, else "
        "the county the page's text names most (null when no county is clearly supported)."
    )
    reuse: Reuse | None = Field(
        default=None,
        description="Reprints and text reuse within the release (xianbao's reuse stage); null when the release "
        "was built with --no-reuse.",
    )
