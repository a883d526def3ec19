"""Synthetic county-newspaper pages made from the seed pages, for benchmarks and scale tests.

The seed pages are cut into article chunks where the parser starts each article; page
``i`` is 2-5 chunks from any seed, with names, numbers and the county varied, in the
markdown-headed or the plain layout, sometimes with a page-break split inside a
paragraph and page furniture (a page header, an editor line). Page ``i`` depends only on
``(i, seed)``: ``make_corpus(n + k)`` holds the pages of ``make_corpus(n)`` plus ``k`` new
ones, which is what an incremental build needs. Every page carries its serial number,
so no two pages are byte-identical.

    python tests/benchmarks/corpus.py OUT_DIR --pages 1000
"""

from __future__ import annotations

import argparse
import functools
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌宇浩凯鹏飞晓燕玲婷雪琳欣怡佳慧晨阳海波"
COUNTIES = [
    "庆元",
    "开化",
    "龙泉",
    "遂昌",
    "松阳",
    "云和",
    "景宁",
    "缙云",
    "青田",
    "常山",
    "江山",
    "龙游",
    "衢江",
    "柯城",
]
SEED_COUNTIES = re.compile("庆元|衢江|开化")
CREDIT = re.compile(r"(记者|通讯员|□) ?((?:[\u4e00-\u9fff]{2,3} ?){1,3})")
DIGITS = re.compile(r"\d+")
HEADERS = ["要闻", "综合", "县域经济", "民生", "文化", "专题"]


@functools.cache
def seed_chunks() -> tuple[str, ...]:
    """The seed pages cut at each article's first character (the parser's spans)."""
    from builders.parse.page import parse_page
    from builders.read.decode import Page, read_page

    chunks: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        page = read_page(path)
        assert isinstance(page, Page), page
        starts = sorted({a.spans[0].start for a in parse_page(page.text, page.source_file, page.sha256).articles})
        for start, end in zip(starts, [*starts[1:], len(page.text)], strict=True):
            chunks.append(page.text[start:end].strip())
    return tuple(chunks)


def person(rng: random.Random) -> str:
    """A made-up two- or three-character name."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def vary(chunk: str, rng: random.Random, county: str) -> str:
    """Other names in credits, other numbers (same digit count), another county."""
    chunk = SEED_COUNTIES.sub(county, chunk)
    chunk = CREDIT.sub(lambda m: f"{m[1]} " + " ".join(person(rng) for _ in m[2].split()), chunk)
    return DIGITS.sub(lambda m: _number(m[0], rng), chunk)


def _number(digits: str, rng: random.Random) -> str:
    if len(digits) == 4 and digits.startswith("20"):
        return str(rng.randint(2015, 2024))  # a plausible year
    if len(digits) > 2 or rng.random() < 0.5:
        return digits
    return str(rng.randint(1, 12))  # a valid month or day


def layout(chunk: str, markdown: bool) -> str:
    """The chunk with markdown headings (``# title``) or as plain lines."""
    lines = [line.lstrip("#").lstrip() for line in chunk.split("\n")]
    if markdown:
        lines[0] = f"# {lines[0]}"
    return "\n".join(lines)


def page_break(text: str, rng: random.Random) -> str:
    """Split one long paragraph in two, as a page-break dump does."""
    paragraphs = text.split("\n\n")
    long = [i for i, p in enumerate(paragraphs) if len(p) > 80]
    if long:
        i = rng.choice(long)
        cut = rng.randint(20, len(paragraphs[i]) - 20)
        paragraphs[i] = paragraphs[i][:cut] + "\n\n" + paragraphs[i][cut:]
    return "\n\n".join(paragraphs)


def make_page(index: int, seed: int = 0) -> str:
    """Page ``index`` of the corpus of random seed ``seed``."""
    rng = random.Random(f"{seed}:{index}")
    chunks, county, markdown = seed_chunks(), rng.choice(COUNTIES), rng.random() < 0.5
    body = "\n\n".join(layout(vary(rng.choice(chunks), rng, county), markdown) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.3:
        body = page_break(body, rng)
    header = f"{county}报 第{rng.randint(1, 8)}版 {rng.choice(HEADERS)} 总第{10_000 + index}期"
    footer = f"\n\n责任编辑：{person(rng)}" if rng.random() < 0.3 else ""
    return f"{header}\n\n{body}{footer}\n"


def make_corpus(out: Path, pages: int, seed: int = 0) -> list[Path]:
    """Write pages ``0 .. pages-1`` as ``out/NNNNNN.txt`` (existing ones are left alone)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(pages):
        path = out / f"{index:06d}.txt"
        if not path.exists():
            path.write_text(make_page(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{len(make_corpus(args.out, args.pages, args.seed))} pages in {args.out}")
