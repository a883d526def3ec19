"""The reuse pass's compact record columns (builders.reuse.cluster.Metas)."""

from __future__ import annotations

from builders.reuse.cluster import Meta, Metas


def test_more_distinct_credits_than_a_short_integer_holds() -> None:
    # 来源：… lines name any office, so a large corpus has far more than 32,767 outlets
    metas = Metas()
    for k in range(40_000):
        metas.append(Meta(f"{k:016x}", None, None, "a.txt", k, None))
    credits: list[str | None] = [f"县某局第{k}科" for k in range(40_000)]
    metas.set_credits(credits)
    assert len(metas) == 40_000
    assert metas.codes["credit"].code("县某局第39999科") == metas.credits[39_999]
