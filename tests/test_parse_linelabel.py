"""The line labeller ships with the package, is deterministic and carries no page text."""

from __future__ import annotations

import random
from pathlib import Path

import pycrfsuite
import pytest

from builders.parse import credits, crf, linelabel
from builders.parse.encoder import Encoder
from builders.parse.layout import classify_page
from builders.parse.lines import split_lines
from builders.parse.surnames import split_run

ROOT = Path(__file__).resolve().parents[1]
PAGE = "县城新添口袋公园\n\n本报讯 近日，县城新建的口袋公园对外开放。\n\n公园设有步道和健身器材。\n"


def _labels(text: str) -> list[str] | None:
    lines = split_lines(text)
    return linelabel.label_lines(lines, [t.kind for t in classify_page(lines)], text)


def test_the_model_ships_and_labels_every_line() -> None:
    labels = _labels(PAGE)
    assert labels is not None and len(labels) == 3
    assert set(labels) <= set(linelabel.LABELS)
    assert labels[0] == "title-start"
    assert _labels(PAGE) == labels


def test_features_are_structural_only() -> None:
    text = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    lines = split_lines(text)
    features = linelabel.page_features(lines, [t.kind for t in classify_page(lines)], text)
    assert all(item.isascii() for items in features for item in items)


def test_the_model_holds_no_chinese_text() -> None:
    model = linelabel._model()
    assert model is not None
    assert model.rows and all(name.isascii() for name in model.rows)
    assert set(model.labels) == set(linelabel.LABELS)


def _pycrfsuite() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(ROOT / "builders" / "parse" / "models" / linelabel.MODEL))
    return tagger


def test_the_labels_are_crfsuites_own_on_every_seed_page() -> None:
    model, tagger = linelabel._model(), _pycrfsuite()
    assert model is not None
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = split_lines(text)
        kinds = [t.kind for t in classify_page(lines)]
        features = linelabel.page_features(lines, kinds, text)
        expected = tagger.tag(features)
        assert model.tag([[model.row(name) for name in line] for line in features]) == expected
        assert linelabel.label_lines(lines, kinds, text) == expected


def test_decoding_agrees_with_crfsuite_on_random_sequences() -> None:
    """Random mixes of the model's features (and unknown ones), near ties included: the same labels."""
    model, tagger = linelabel._model(), _pycrfsuite()
    assert model is not None
    names = sorted(model.rows)
    rng = random.Random(19)
    for _ in range(300):
        sequence = [
            [rng.choice(names) if rng.random() < 0.9 else f"unknown={rng.random()}" for _ in range(rng.randint(0, 40))]
            for _ in range(rng.randint(1, 60))
        ]
        if rng.random() < 0.3:  # repeated lines and repeated features: equal scores on several paths
            sequence = [sequence[0] * 2] * len(sequence)
        assert model.tag([[model.row(name) for name in line] for line in sequence]) == tagger.tag(sequence)


def test_lines_given_in_two_parts_score_the_same_doubles() -> None:
    """A line's first features scored once (and kept), the rest added on: bit for bit the scores of
    the whole line, and crfsuite's labels; heads shared by many lines, rests empty or long."""
    model, tagger = linelabel._model(), _pycrfsuite()
    assert model is not None
    names, by_row = sorted(model.rows), list(model.rows)
    rng = random.Random(7)
    heads = [tuple(model.row(rng.choice(names)) for _ in range(rng.randint(1, 30))) for _ in range(5)]
    for _ in range(200):
        parts = [
            (rng.choice(heads), [model.row(rng.choice(names)) for _ in range(rng.randint(0, 40))])
            for _ in range(rng.randint(1, 40))
        ]
        whole = [[*head, *rest] for head, rest in parts]
        split = model.part_scores([head for head, _ in parts], [rest for _, rest in parts])
        assert split.tobytes() == model.state_scores(whole).tobytes()
        named = [[by_row[k] for k in line] for line in whole]
        assert model.tag_parts([head for head, _ in parts], [rest for _, rest in parts]) == tagger.tag(named)


def test_the_kept_head_scores_start_over_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    model = linelabel._model()
    assert model is not None
    monkeypatch.setattr(crf, "HEADS_KEPT", 2)
    heads = [(k,) for k in range(5)]
    scores = [model.head_score(head).tobytes() for head in heads]
    assert len(model._heads) <= 2
    again = [model.head_score(head).tobytes() for head in heads]
    assert again == scores == [model.weights[k].tobytes() for k in range(5)]


def test_a_page_in_parts_is_the_page_in_rows() -> None:
    text = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    lines = split_lines(text)
    kinds = [t.kind for t in classify_page(lines)]
    encoder = linelabel.Encoder()
    heads, rests = linelabel.page_parts(lines, kinds, text, encoder)
    rows = linelabel.page_rows(lines, kinds, text, encoder)
    assert len(heads) == len(rows) == len(lines)
    assert [[*head, *rest] for head, rest in zip(heads, rests, strict=True)] == rows
    assert all(head and head == tuple(row[: len(head)]) for head, row in zip(heads, rows, strict=True))


def test_a_file_that_is_no_model_is_refused() -> None:
    with pytest.raises(crf.ModelError):
        crf.read_model(b"not a model at all, but long enough for a header")


def test_a_truncated_or_damaged_model_is_a_model_error() -> None:
    """Never a raw struct/index error, never a model read wrong from a cut file."""
    data = (ROOT / "builders" / "parse" / "models" / linelabel.MODEL).read_bytes()
    whole = crf.read_model(data)
    rng = random.Random(5)
    for cut in sorted(rng.sample(range(1, len(data)), 60)):
        try:
            part = crf.read_model(data[:cut])
        except crf.ModelError:
            continue
        assert part.labels == whole.labels and (part.weights == whole.weights).all()
    header = crf.HEADER.unpack_from(data)
    at_features = header[7]
    bad = bytearray(data)  # the first feature's source far outside the attributes
    bad[at_features + 12 + 4 : at_features + 12 + 8] = (10**9).to_bytes(4, "little")
    with pytest.raises(crf.ModelError, match="outside the model"):
        crf.read_model(bytes(bad))


def test_a_damaged_model_stops_parse_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from builders.cli import main

    def damaged() -> crf.Model:
        raise crf.ModelError("lines.crfsuite: damaged crfsuite model; reinstall xianbao")

    monkeypatch.setattr(linelabel, "_model", damaged)
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    result = CliRunner().invoke(main, ["parse", str(seed)])
    assert result.exit_code == 1 and not result.stdout
    assert result.stderr.strip().splitlines() == ["error: lines.crfsuite: damaged crfsuite model; reinstall xianbao"]


@pytest.mark.parametrize(
    ("run", "names"),
    [("张三李四", ["张三", "李四"]), ("王小明赵六", ["王小明", "赵六"]), ("人民论坛", None), ("王五", None)],
)
def test_names_run_together_are_split(run: str, names: list[str] | None) -> None:
    assert split_run(run) == names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（本报记者甲乙、丙丁报道）", [("甲乙", "reporter"), ("丙丁", "reporter")]),
        ("（新华社记者乙丙，本报记者丁戊）", [("乙丙", "reporter"), ("丁戊", "reporter")]),
        ("（陈 晨）", [("陈晨", "unknown")]),
        ("（晓风）", [("晓风", "unknown")]),
    ],
)
def test_closing_credits(text: str, expected: list[tuple[str, str]]) -> None:
    found = credits.end_credit(text)
    assert found is not None and [(b.name, b.role) for b in found[1]] == expected


def test_named_features_encode_as_their_strings_in_order_of_first_use() -> None:
    """``Encoder.named`` looks values up instead of making strings: the same integers, and a
    training encoder hands out its ids in the order the strings are first met."""
    model = linelabel._model()
    assert model is not None
    rng = random.Random(5)
    keys = ("kind", "size", "end", "lv")
    values = ["title", "body", "12", "big", "stop", "0", "1", "True", "new-value"]
    labelling, by_string = Encoder(model.row), Encoder()
    training = Encoder()
    for _ in range(200):
        prefix = rng.choice(["", "-1:", "2:"])
        got = [rng.choice(values) for _ in keys]
        strings = tuple(f"{prefix}{k}={v}" for k, v in zip(keys, got, strict=True))
        assert labelling.named(prefix, keys, got) == labelling.encode(strings)
        assert training.named(prefix, keys, got) == by_string.encode(strings)
    assert training.names == by_string.names
    assert any(row == len(model.rows) for row in labelling.named("", keys, ["new-value"] * 4))  # unknown: zero row
