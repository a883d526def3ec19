"""Regenerate the lexicon files from offline sources: ``builders/enrich/data/regions.tsv`` and
the user dictionary ``builders/segment/data/userdict.txt``.

Run ``python -m builders.enrich.make_data`` (needs the ``cpca`` package, a dev dependency,
only here: at run time the committed files are read, nothing is downloaded).

* ``regions.tsv``: every county-level unit of cpca's ``resources/adcodes.csv``
  (GB/T 2260 codes, cpca 0.5.5) with its province, prefecture and short name.
* ``userdict.txt``: jieba user dictionary: provinces, prefectures and counties of all
  China (full names, tag ``ns``), short names of Zhejiang's counties (衢江, 莲都),
  and the common posts of :func:`builders.enrich.posts.dictionary_posts` (tag ``nnt``).
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from pathlib import Path

from builders.enrich.posts import dictionary_posts
from builders.segment.tokenizer import USER_DICT

DATA = Path(__file__).parent / "data"
SUFFIX = re.compile(r"^(.{2,}?)(?:(?:[\u4e00-\u9fff]{1,3}?族)+自治[县旗州]|自治[县旗]|特区|林区|[县区市旗])$")
MUNICIPALITIES = ("11", "12", "31", "50")
HOME_PROVINCE = "33"
"""Zhejiang: the corpus's province, whose short county names go into the dictionary."""


def short_name(name: str) -> str:
    """The name without its level suffix (庆元县 -> 庆元), or the name if too short to strip."""
    match = SUFFIX.match(name)
    return match.group(1) if match else name


def read_cpca() -> dict[str, str]:
    """``{6-digit code: name}`` from cpca's packaged table."""
    raw = resources.files("cpca.resources").joinpath("adcodes.csv").read_text(encoding="utf-8")
    return {row["adcode"][:6]: row["name"] for row in csv.DictReader(io.StringIO(raw))}


def region_rows(names: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    """Rows (code, province, prefecture, county, short) for county-level codes, sorted by code."""
    rows = []
    for code, name in sorted(names.items()):
        if code.endswith("00") or name in ("市辖区", "县"):
            continue
        province = names.get(code[:2] + "0000", "")
        prefecture = names.get(code[:4] + "00", "")
        if code[:2] in MUNICIPALITIES or prefecture in ("", "市辖区", "县"):
            prefecture = province
        rows.append((code, province, prefecture, name, short_name(name)))
    return rows


def userdict_lines(names: dict[str, str], rows: list[tuple[str, str, str, str, str]]) -> list[str]:
    """Lines ``word tag`` of the user dictionary (jieba suggests the frequency), sorted."""
    words = {name for name in names.values() if "直辖" not in name and name not in ("市辖区", "县")}
    words |= {row[4] for row in rows if row[0].startswith(HOME_PROVINCE) and row[4] != row[3]}
    lines = {f"{word} ns" for word in words if len(word) >= 2}
    lines |= {f"{post} nnt" for post in dictionary_posts()}
    return sorted(lines)


def main() -> None:
    """Write ``regions.tsv`` and ``userdict.txt``."""
    names = read_cpca()
    rows = region_rows(names)
    with (DATA / "regions.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("code\tprovince\tprefecture\tcounty\tshort\n")
        fh.writelines("\t".join(row) + "\n" for row in rows)
    USER_DICT.write_text("\n".join(userdict_lines(names, rows)) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} regions and the user dictionary to {DATA} and {USER_DICT}")


if __name__ == "__main__":
    main()
