"""The fast segmenter (rjieba where it agrees) gives jieba's own words, token for token."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import memo
from builders.parse.page import parse_page
from builders.read.decode import Page, read_page
from builders.segment import fast as fast_segment
from builders.segment import tokenizer as segment
from tests.benchmarks.corpus import make_page

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def loaded() -> segment.Jieba:
    found = segment.jieba_tokenizer()
    assert found.fast is not None, "rjieba is a dependency: the fast path must load"
    return found


def texts_of(text: str) -> list[str]:
    """What the build segments from a page: each body and the joined title lines; and the page."""
    drafts = parse_page(text, "x.txt", "0" * 64).articles
    return [text, "\n".join(line for d in drafts for line in d.title_lines), *(d.body for d in drafts)]


def seed_and_golden_texts() -> list[str]:
    pages = [read_page(p, p.parent) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages += [read_page(p, p.parent) for p in sorted((ROOT / "tests" / "golden").glob("*/input.txt"))]
    return [t for page in pages if isinstance(page, Page) for t in texts_of(page.text)]


def test_equals_jieba_on_seeds_and_golden_pages(loaded: segment.Jieba) -> None:
    texts = seed_and_golden_texts()
    assert len(texts) > 60
    for text in texts:
        assert loaded.cut(text) == loaded.lcut(text)


def test_equals_jieba_on_generated_pages(loaded: segment.Jieba) -> None:
    for index in range(0, 600, 3):  # 200 varied pages: names, numbers, both layouts, page breaks
        for text in texts_of(make_page(index)):
            expected = loaded.lcut(text)
            assert loaded.cut(text) == expected
            assert loaded.words(text) == [w for w in expected if not w.isspace()]


@pytest.mark.parametrize(
    "text",
    [
        "3月15日至3-15日，2021年GDP增长8.5%，A股和T恤、IP地址",  # digits and letters: jieba's own path
        "上午 9:30 在\u3000县城\t召开\r\n会议。\n\n",  # whitespace of every kind
        "鿖龘㐀豈𠀀字出现在人名中",  # ideographs outside U+4E00-U+9FD5
        "２０２１年１２月，ＧＤＰ",  # full-width digits and letters
        "庆元县百山祖镇和开化县",  # user-dictionary places
        "中国2号、年2021和2021年 \r\n 县城\r\n",  # a block that only starts or ends with ideographs; CRLF
        "\ue000县城\ue000\ue000召开2021年\ue000会议\x1c\x1f大会",  # the words' placeholder; whitespace to Python only
        "GDP增长8.5%和A股 县城2021年3月15日",  # mixed blocks first and last, one after a space
        "",
    ],
)
def test_equals_jieba_on_edge_cases(loaded: segment.Jieba, text: str) -> None:
    assert loaded.cut(text) == loaded.lcut(text)
    assert loaded.words(text) == segment.cut(text) == [w for w in loaded.lcut(text) if not w.isspace()]


SENTENCES = [s for text in seed_and_golden_texts()[:20] for s in re.split(r"[。！？\n]", text) if len(s) > 4]
JOINERS = st.sampled_from([" ", "\n", "3-15", "2021年", "A股", "，", "GDP", "鿖", "ＡＢ", "%", "\u3000", ""])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SENTENCES), JOINERS), min_size=1, max_size=6))
def test_equals_jieba_on_spliced_sentences(parts: list[tuple[str, str]]) -> None:
    """Real sentences joined by digits, letters, spaces and rare characters, cut at random."""
    loaded = segment.jieba_tokenizer()
    text = "".join(sentence + joiner for sentence, joiner in parts)
    assert loaded.cut(text) == loaded.lcut(text)
    assert loaded.words(text) == [w for w in loaded.lcut(text) if not w.isspace()]


@pytest.mark.parametrize(
    "text",
    [
        "时速可达60公里，再过5天降至2000例以内",  # single-character route words on both sides of a cut point
        "买了4S店的A股和AB型T恤",  # dictionary words that span an ideograph and a letter or digit
        "第3-15条、1.1万道、14.6万吨、3大类8项、8.5%、+5、C++和C#语言",  # digits, dots, signs
        "达60", "60达", "A", "甲A乙B丙C", "4S", "S店", "AA制度",  # short and edge pieces
    ],
)
def test_mixed_blocks_equal_jieba(loaded: segment.Jieba, text: str) -> None:
    """Blocks mixing ideographs with letters, digits and signs are cut piecewise, with jieba's result."""
    assert loaded.fast is not None
    assert loaded.cut(text) == loaded.lcut(text)


MIXED_PARTS = st.sampled_from(["可达", "降至", "再过", "万道", "年来", "多起", "公里", "中国", "的", "了", "甲乙",
                               " ", "，", "60", "2000", "1.1", "3", "-", ".", "%", "+", "#", "&", "_", "A", "S", "GDP",
                               "A股", "4S店", "T恤", "AB型", "B超", "CD机"])


@settings(max_examples=300, deadline=None)
@given(st.lists(MIXED_PARTS, min_size=1, max_size=12))
def test_random_mixed_blocks_equal_jieba(parts: list[str]) -> None:
    """Ideographs, digits, letters, signs and the mixed dictionary words in every order."""
    loaded = segment.jieba_tokenizer()
    text = "".join(parts)
    expected = loaded.lcut(text)
    assert loaded.cut(text) == expected
    assert loaded.words(text) == [w for w in expected if not w.isspace()]


def test_a_disagreeing_rjieba_is_not_used(loaded: segment.Jieba, monkeypatch: pytest.MonkeyPatch) -> None:
    import rjieba

    class Broken:
        def add_word(self, *args: object) -> int:
            return 0

        def cut(self, text: str, hmm: bool = True) -> list[str]:
            return list(text)  # every character a word: fails the canary

    monkeypatch.setattr(rjieba, "Jieba", Broken)
    users = segment._user_words(re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$"))
    mixed = fast_segment.mixed_words(loaded.freq)
    assert fast_segment.fast_segmenter(loaded.tokenizer, users, loaded.tags, loaded.base_freq, mixed) is None


def test_word_graph_from_the_words_alone_is_jiebas(loaded: segment.Jieba) -> None:
    """The fast path's word graph (dictionary words only) equals jieba's ``get_DAG`` over its full ``FREQ``."""
    assert loaded.fast is not None
    assert loaded.tokenizer.FREQ["中华人民共"] == 0 and "中华人民共" not in loaded.fast.tokenizer.FREQ
    for piece in ("中华人民共和国A股", "A股上市企业落地", "4S店", "GDP8.5%", "2021", "庆元县百山祖镇", "x", "卡拉OK厅"):
        assert loaded.fast._dag(piece) == loaded.tokenizer.get_DAG(piece)


def test_environment_turns_the_fast_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIANBAO_SEGMENTER", "jieba")
    plain = segment._load()
    assert plain.fast is None
    assert plain.cut("县委书记强调3-15") == plain.lcut("县委书记强调3-15")


def test_snapshot_tables_equal_freshly_built_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    monkeypatch.setenv(memo.ENV, str(tmp_path))
    words = segment._user_words(jieba.re_userdict)
    built = segment.load_tables(jieba, words)  # no snapshot yet: built from jieba's files, then saved
    path = memo.memo_path("jieba", segment.snapshot_key(jieba.__version__))
    assert path.parent == tmp_path / "memo" and path.is_file()
    assert segment.load_tables(jieba, words) == built == segment._build_tables(jieba, words)
    path.write_bytes(b"\x00damaged")
    assert segment.load_tables(jieba, words) == built  # a damaged snapshot is rebuilt
    freq, total, tags, _, mixed, canaries = built
    assert freq["庆元县"] > 0 and tags["庆元县"] == "ns" and total > 60_000_000
    assert all(freq.values()) and "中华人民共" not in freq  # words only: no 0-frequency prefix entries
    own = jieba.Tokenizer()
    own.initialize()
    own.load_userdict(str(segment.USER_DICT))
    full = segment.python_tokenizer(freq, total)
    assert full.FREQ == own.FREQ and full.total == own.total  # jieba's FREQ, prefixes and all
    assert own.FREQ["中华人民共"] == 0
    assert canaries == [own.lcut(text, HMM=True) for text in fast_segment.CANARIES]
    assert "A股" in mixed and "4S店" in mixed and all(not fast_segment.PURE_HAN.fullmatch(w) for w in mixed)


def test_snapshot_is_keyed_by_the_user_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = segment.snapshot_key("0.42.1")
    other = tmp_path / "userdict.txt"
    other.write_text("新词语 nz\n", encoding="utf-8")
    monkeypatch.setattr(segment, "USER_DICT", other)
    assert segment.snapshot_key("0.42.1") != before != segment.snapshot_key("0.42.2")


def test_snapshot_is_keyed_by_the_canary_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo keeps Python jieba's cuts of the canaries: edited canaries must not meet old cuts
    (the fast segmenter would fail its check and be dropped for good)."""
    before = segment.snapshot_key("0.42.1")
    monkeypatch.setattr(fast_segment, "CANARIES", (*fast_segment.CANARIES, "新的检验句子。"))
    assert segment.snapshot_key("0.42.1") != before


def test_memoised_pos_and_idf_tables_are_jiebas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba.analyse
    import jieba.posseg

    from builders.enrich import entities

    monkeypatch.setenv(memo.ENV, str(tmp_path))
    for _ in range(2):  # derived and written, then read back from the temp folder
        segment._pos_model.cache_clear()
        entities._idf.cache_clear()
        assert segment._pos_model() == (jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
        tfidf = jieba.analyse.default_tfidf
        assert entities._idf() == (tfidf.idf_freq, tfidf.median_idf)
    assert len(list((tmp_path / "memo").glob("jieba-*.marshal"))) == 2
    segment._pos_model.cache_clear()
    entities._idf.cache_clear()


def test_remembered_mixed_blocks_stay_jiebas(loaded: segment.Jieba, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mixed blocks are cut once and remembered: a caller changing its words changes nothing, and
    the memory stays within its bound."""
    assert loaded.fast is not None
    fast = loaded.fast
    assert isinstance(fast, fast_segment.FastJieba)
    monkeypatch.setattr(fast_segment, "MAX_REMEMBERED", 3)
    for memory in ("_mixed_seen", "_pieces_seen", "_runs_seen"):
        monkeypatch.setattr(fast, memory, {})
    text = "3月15日，2021年GDP增长8.5%。3月15日上午，A股和4S店"
    first = loaded.cut(text)
    first.clear()
    assert loaded.cut(text) == loaded.lcut(text)
    assert loaded.words(text) == [w for w in loaded.lcut(text) if not w.isspace()]
    assert 0 < len(fast._mixed_seen) <= 3 and 0 < len(fast._pieces_seen) <= 3 and 0 < len(fast._runs_seen) <= 3
    fast._mixed_seen.clear()  # the pieces and runs alone, remembered
    assert loaded.cut(text) == loaded.lcut(text)


def test_jieba_is_loaded_without_pkg_resources(tmp_path: Path) -> None:
    """A fresh process loads jieba (and cuts) without importing pkg_resources; jieba reads its
    own files by path, and the tables it builds from them are the memoised ones."""
    import subprocess
    import sys

    code = (
        "import sys; from builders.segment import tokenizer as t; j = t.jieba_tokenizer();"
        "import jieba, jieba._compat as c; assert 'pkg_resources' not in sys.modules, 'imported';"
        "words = t._user_words(jieba.re_userdict);"
        "assert t._build_tables(jieba, words)[:4] == t.load_tables(jieba, words)[:4];"
        "print('|'.join(j.words('县委书记强调3-15')), c.get_module_res('dict.txt').read(6).decode())"
    )
    env = {**os.environ, memo.ENV: str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["县委书记|强调|3|-|15", "AT&T", "3"]
