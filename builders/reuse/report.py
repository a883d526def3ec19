"""The card's section on reprints and text reuse: shares per newspaper and year, the largest clusters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from builders.release.markdown import cell
from schema import Reuse

TOP_CLUSTERS = 10
NO_REUSE = ("This release was built without the reuse stage (`--no-reuse`): the `reuse` field of every "
            "record is null.")


@dataclass
class ReuseReport:
    """Counts gathered while the reuse objects are written."""

    records: Counter[tuple[str, str]] = field(default_factory=Counter)
    reprints: Counter[tuple[str, str]] = field(default_factory=Counter)
    partial: Counter[tuple[str, str]] = field(default_factory=Counter)
    credited: Counter[tuple[str, str]] = field(default_factory=Counter)
    sizes: Counter[str] = field(default_factory=Counter)
    papers: dict[str, set[str]] = field(default_factory=dict)
    headlines: dict[str, str] = field(default_factory=dict)

    def add(self, rows: list[dict[str, Any]], reuses: list[Reuse]) -> None:
        """Count one shard's records (``id``, ``newspaper``, ``year``, ``headline``) with their reuse objects."""
        for row, reuse in zip(rows, reuses, strict=True):
            key = (row["newspaper"] or "—", str(row["year"] or "—"))
            self.records[key] += 1
            self.reprints[key] += reuse.kind == "reprint"
            self.partial[key] += reuse.kind == "partial"
            self.credited[key] += reuse.credited_to is not None
            if reuse.cluster:
                self.sizes[reuse.cluster] += 1
                self.papers.setdefault(reuse.cluster, set()).add(row["newspaper"] or "—")
                if row["id"] == reuse.cluster:
                    self.headlines[reuse.cluster] = row["headline"]

    def section(self) -> str:
        """Markdown: totals, the per-newspaper-and-year table, the largest clusters; newspapers and headlines
        are data, escaped (:func:`~builders.release.markdown.cell`)."""
        total = sum(self.records.values())
        lines = [
            f"- Records in a reprint cluster: **{sum(self.sizes.values())}** of {total}, in {len(self.sizes)} clusters",
            f"- Reprints: {sum(self.reprints.values())}; partial reuse (a quoted passage): "
            f"{sum(self.partial.values())}; with a printed credit (`credited_to`): {sum(self.credited.values())}",
            "",
            "| newspaper | year | records | reprint | partial | credited |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for key in sorted(self.records):
            n = self.records[key]
            lines.append(f"| {cell(key[0])} | {cell(key[1])} | {n} | {_share(self.reprints[key], n)} | "
                         f"{_share(self.partial[key], n)} | {_share(self.credited[key], n)} |")
        if self.sizes:
            lines += ["", "Largest clusters:", "", "| cluster | records | newspapers | headline |",
                      "|---|---:|---:|---|"]
            for cluster, size in sorted(self.sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CLUSTERS]:
                title = cell(self.headlines.get(cluster, ""))
                lines.append(f"| `{cluster}` | {size} | {len(self.papers[cluster])} | {title} |")
        return "\n".join(lines)


def _share(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.1f}%)" if total else "0"


def reuse_section(report: ReuseReport | None) -> str:
    """The card's section body; the ``--no-reuse`` note without a report."""
    return report.section() if report is not None else NO_REUSE
