"""Train the line labeller (:mod:`builders.linelabel`) on generated pages with answer keys.

Recipe (README, "Parsing pages"): generate pages of the development months with the shared
scripts, then train::

    .venv/bin/python ../shared/dev/pd2020_pages.py /tmp/train2020 --pages 340 --dated --labels
    python3 ../shared/dev/pd1998_pages.py /tmp/train1998 --pages 400
    .venv/bin/python -m builders.parse.train --labels /tmp/train2020 --gold /tmp/train1998 \\
        --exclude-like /tmp/dev2020 --exclude-like /tmp/dev --holdout-days 20200220-20200229

Line labels come from ``labels.jsonl`` (modern pages), from aligning ``gold.jsonl`` with
the page (1998 pages), and from the rules-only parse of the seed pages and golden cases
(which the rules get exactly right). Only structural features are stored in the model.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

from builders.errors import need_extra
from builders.parse.assemble import assemble
from builders.parse.blocks import split_blocks
from builders.parse.folding import fold
from builders.parse.layout import classify_page
from builders.parse.linelabel import page_features
from builders.parse.lines import is_closed, split_lines
from builders.read.decode import Page, read_page

Example = tuple[list[list[str]], list[str]]
ROOT = Path(__file__).resolve().parents[2]


def _page(path: Path) -> Page | None:
    page = read_page(path, path.parent)
    return page if isinstance(page, Page) else None


def _example(text: str, by_number: dict[int, str]) -> Example | None:
    lines = split_lines(text)
    if not lines or any(line.number not in by_number for line in lines):
        return None
    kinds = [t.kind for t in classify_page(lines)]
    return page_features(lines, kinds, text), [by_number[line.number] for line in lines]


def _nonblank_numbers(text: str) -> list[int]:
    return [i for i, raw in enumerate(text.split("\n"), start=1) if raw.strip()]


def from_labels(folder: Path, skip: set[str]) -> Iterator[tuple[str, Example]]:
    """Pages with a ``labels.jsonl`` (one label per non-blank line)."""
    for row in (json.loads(x) for x in (folder / "labels.jsonl").open(encoding="utf-8")):
        page = _page(folder / "pages" / row["source_file"])
        if page is None or row["source_file"] in skip:
            continue
        numbers = _nonblank_numbers(page.text)
        if len(numbers) != len(row["lines"]):
            continue
        example = _example(page.text, {n: x["label"] for n, x in zip(numbers, row["lines"], strict=True)})
        if example:
            yield row["source_file"], example


def _strip_heading(raw: str) -> str:
    return raw.strip().lstrip("#").strip()


def _align(text: str, articles: list[dict[str, object]]) -> dict[int, str]:
    """Labels of a page's lines from its answer key: titles, credits, body, continued body."""
    labels: dict[int, str] = {}
    index, title_at, previous = -1, 0, ""
    for number in _nonblank_numbers(text):
        raw = text.split("\n")[number - 1]
        line = " ".join(_strip_heading(raw).split())
        nxt = articles[index + 1] if index + 1 < len(articles) else None
        titles: list[str] = list(articles[index]["title_lines"]) if index >= 0 else []  # type: ignore[call-overload]
        if nxt is not None and line == " ".join(str(nxt["title_lines"][0]).split()):  # type: ignore[index]
            index, title_at, label = index + 1, 1, "title-start"
        elif index >= 0 and title_at < len(titles) and line == " ".join(titles[title_at].split()):
            title_at, label = title_at + 1, "title"
        else:
            title_at = len(titles)
            paras = "\n".join(articles[index]["paragraphs"]) if index >= 0 else ""  # type: ignore[arg-type]
            compact = line.replace(" ", "")
            joined = previous[-6:] + compact[:6]
            if previous and not is_closed(fold(previous)) and joined in paras.replace(" ", ""):
                label = "body-continued"
            elif compact[:12] in paras.replace(" ", ""):
                label = "body"
            elif labels.get(number - 1, "").startswith("title") or labels.get(number - 2, "").startswith("title"):
                label = "credit"
            else:
                label = "closing-credit"
        labels[number] = label
        previous = line.replace(" ", "")
    return labels


def from_gold(folder: Path, skip: set[str]) -> Iterator[tuple[str, Example]]:
    """Pages with only a ``gold.jsonl``: labels by aligning the key with the page."""
    for name, articles in sorted(_key(folder).items()):
        page = _page(folder / "pages" / name)
        if page is None or name in skip:
            continue
        example = _example(page.text, _align(page.text, articles))
        if example:
            yield name, example


def _rule_labels(text: str) -> dict[int, str]:
    """Line start -> label, from the rules-only cut of a page into blocks."""
    lines = split_lines(text)
    preamble, blocks = split_blocks(classify_page(lines))
    labels = {t.line.start: "body" for t in preamble}
    for block in blocks:
        for k, line in enumerate([*block.column, *block.titles]):
            labels[line.start] = "title-start" if k == 0 else "title"
        parts = assemble(block)
        tip = {line.start for line in parts.tip}
        joined = {line.start for para in parts.paras for line in para.lines[1:]}
        body_seen = False
        for item in block.items:
            start = item.line.start
            if start in tip:
                label = "tip"
            elif item.kind == "tip-label":
                label = "tip-label"
            elif item.kind in ("credit", "end-credit"):
                label = "closing-credit" if body_seen else "credit"
            else:
                label = "body-continued" if start in joined else "body"
                body_seen |= item.kind in ("body", "subhead")
            labels[start] = label
    return labels


def _rules_exact(path: Path, page: Page) -> bool:
    """Do the rules alone reproduce a golden case's ``expected.json`` (or is it a seed page)?"""
    expected = path.parent / "expected.json"
    if not expected.exists():
        return True
    from builders.parse.page import parse_page

    result = parse_page(page.text, page.source_file, page.sha256, learned=False)
    skip = {"id", "source_sha256", "source_file"}
    got = [{k: v for k, v in a.model_dump(mode="json").items() if k not in skip} for a in result.articles]
    want = [{k: v for k, v in a.items() if k not in skip} for a in json.loads(expected.read_text("utf-8"))["articles"]]
    return got == want


def from_rules(paths: list[Path]) -> Iterator[tuple[str, Example]]:
    """Pages the rules parse exactly (seeds, golden cases they pass): labels from their rules-only cut."""
    for path in paths:
        page = _page(path)
        if page is None or not _rules_exact(path, page):
            continue
        lines = split_lines(page.text)
        labels = _rule_labels(page.text)
        kinds = [t.kind for t in classify_page(lines)]
        yield str(path), (page_features(lines, kinds, page.text), [labels.get(line.start, "body") for line in lines])


def _like(folder: Path) -> set[tuple[str, ...]]:
    """Title lines of every page of a folder's key: pages to keep out of training."""
    return set(_titles_of(folder).values())


def _key(folder: Path) -> dict[str, list[dict[str, object]]]:
    """A folder's answer key by page, in page order; a page written twice keeps its last rows."""
    rows: dict[tuple[str, int], dict[str, object]] = {}
    for row in (json.loads(x) for x in (folder / "gold.jsonl").open(encoding="utf-8")):
        rows[(row["source_file"], row["ordinal"])] = row
    pages: dict[str, list[dict[str, object]]] = {}
    for (name, _), row in sorted(rows.items()):
        pages.setdefault(name, []).append(row)
    return pages


def _titles_of(folder: Path) -> dict[str, tuple[str, ...]]:
    return {k: tuple("|".join(r["title_lines"]) for r in v) for k, v in _key(folder).items()}  # type: ignore[arg-type]


def _skip(folder: Path, like: set[tuple[str, ...]], holdout: tuple[str, str] | None) -> tuple[set[str], set[str]]:
    """(pages never used, held-out pages) of a training folder."""
    never, held = set(), set()
    for name, titles in _titles_of(folder).items():
        if titles in like:
            never.add(name)
        elif holdout and holdout[0] <= name[:8] <= holdout[1]:
            held.add(name)
    return never, held


def accuracy(model: Path, examples: list[Example]) -> float:
    """Share of lines labelled right."""
    pycrfsuite = need_extra("pycrfsuite", "train", "checking the line labeller")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    right = total = 0
    for features, labels in examples:
        predicted = tagger.tag(features)
        right += sum(p == g for p, g in zip(predicted, labels, strict=True))
        total += len(labels)
    return right / max(total, 1)


def train(examples: list[Example], out: Path, c1: float, c2: float, iterations: int) -> None:
    """Fit the CRF (L-BFGS, elastic net) and write the model."""
    pycrfsuite = need_extra("pycrfsuite", "train", "training the line labeller")
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in examples:
        trainer.append(features, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, action="append", default=[], help="folder with pages/ and labels.jsonl")
    ap.add_argument("--gold", type=Path, action="append", default=[], help="folder with pages/ and gold.jsonl")
    ap.add_argument("--exclude-like", type=Path, action="append", default=[], help="keep this set's pages out")
    ap.add_argument("--holdout-days", help="YYYYMMDD-YYYYMMDD: dated pages kept out of training, for validation")
    ap.add_argument("--rules-weight", type=int, default=3, help="copies of each seed page and golden case")
    ap.add_argument("--out", type=Path, default=ROOT / "builders" / "parse" / "models" / "lines.crfsuite")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.1)
    ap.add_argument("--iterations", type=int, default=200)
    args = ap.parse_args(argv)
    like: set[tuple[str, ...]] = set()
    for folder in args.exclude_like:
        like |= _like(folder)
    holdout = (args.holdout_days[:8], args.holdout_days[-8:]) if args.holdout_days else None
    training: list[Example] = []
    held: list[Example] = []
    for folder, source in [(f, from_labels) for f in args.labels] + [(f, from_gold) for f in args.gold]:
        never, out = _skip(folder, like, holdout)
        for name, example in source(folder, never):
            (held if name in out else training).append(example)
    rules = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "golden").glob("*/input.txt"))
    exact = list(from_rules(rules))
    print(f"{len(exact)} of {len(rules)} seed pages and golden cases parsed exactly by the rules alone")
    training += [example for _, example in exact] * args.rules_weight
    random.Random(19).shuffle(training)
    print(f"training on {len(training)} pages, {len(held)} held out")
    train(training, args.out, args.c1, args.c2, args.iterations)
    print(f"model {args.out} ({args.out.stat().st_size} bytes)")
    if held:
        print(f"held-out line accuracy {accuracy(args.out, held):.4f}")


if __name__ == "__main__":
    main()
