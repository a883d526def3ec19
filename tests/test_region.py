"""Region inference on made-up texts, in Zhejiang and elsewhere."""

from __future__ import annotations

import pytest

from builders.enrich.region import infer_region, region_of_code
from builders.segment.tokenizer import cut


def code(text: str) -> str | None:
    region = infer_region(cut(text))
    return region.code if region else None


def test_county_named_in_full() -> None:
    assert code("婺源县召开全县大会。婺源县委书记主持。婺源县各乡镇参加。") == "361130"


def test_short_name_with_prefecture() -> None:
    assert code("开化发展迈出新步伐,衢州市领导来开化调研,开化群众欢迎。") == "330824"


def test_namesakes_are_ranked_by_prefecture() -> None:
    # 鼓楼区 exists in Fuzhou, Nanjing, Xuzhou and Kaifeng
    assert code("南京市鼓楼区召开会议。鼓楼区委书记强调,鼓楼区要加快发展,南京要领先。") == "320106"


def test_no_county_gives_none() -> None:
    assert code("开发区召开会议,丽水市领导参加。丽水之干,丽水之赞。") is None
    assert code("会议强调要抓好落实。") is None


def test_a_single_passing_mention_is_not_enough() -> None:
    assert code("来自庆元县的游客说。") is None


def test_split_evidence_gives_none() -> None:
    assert code("庆元县与龙泉市合作。庆元县、龙泉市签约,庆元县和龙泉市共建。") is None


def test_region_of_code() -> None:
    region = region_of_code("330803")
    assert (region.province, region.prefecture, region.county) == ("浙江省", "衢州市", "衢江区")
    assert region_of_code("110105").prefecture == "北京市"


@pytest.mark.parametrize(("code", "names"), [
    ("330000", ("浙江省", "", "")), ("331100", ("浙江省", "丽水市", "")), ("999999", ("", "", "")),
    ("339900", ("", "", ""))])
def test_province_and_prefecture_codes_take_their_names_an_unknown_code_none(code: str, names: tuple[str, ...]
                                                                              ) -> None:
    region = region_of_code(code)
    assert region.code == code and (region.province, region.prefecture, region.county) == names


def test_generated_lexicon_is_up_to_date() -> None:
    """``python -m builders.enrich.make_data`` regenerates the committed files byte for byte."""
    pytest.importorskip("cpca")
    from builders.enrich import make_data

    names = make_data.read_cpca()
    rows = make_data.region_rows(names)
    table = "code\tprovince\tprefecture\tcounty\tshort\n" + "".join("\t".join(r) + "\n" for r in rows)
    fix = "run python -m builders.enrich.make_data"
    assert (make_data.DATA / "regions.tsv").read_text(encoding="utf-8") == table, fix
    userdict = "\n".join(make_data.userdict_lines(names, rows)) + "\n"
    assert make_data.USER_DICT.read_text(encoding="utf-8") == userdict, fix
