"""validate never tracebacks on a damaged release, cross-checks card, manifest and data, and checks a digest."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders.build import build_release
from builders.cli import main
from builders.release.config import BuildConfig
from builders.release.validate import release_digest, validate_release

JSONL = "jsonl/train-00000-of-00001.jsonl"


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "copy"))


def resum(root: Path) -> None:
    """What a careful tamperer does: recompute SHA256SUMS."""
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    sums = "".join(f"{hashlib.sha256((root / n).read_bytes()).hexdigest()}  {n}\n" for n in names)
    (root / "SHA256SUMS").write_text(sums, encoding="utf-8")


def _problems(root: Path) -> set[tuple[str, str]]:
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    return {(p.code, p.path) for p in validate_release(root)}


DAMAGE: dict[str, Callable[[Path], None]] = {
    "card-yaml": lambda r: (r / "README.md").write_text("---\nlicense: [unclosed\n  : x: y\n---\n# x\n"),
    "sums-not-utf8": lambda r: (r / "SHA256SUMS").write_bytes(b"\xff\xfe\xcf\xd8  README.md\n"),
    "jsonl-not-utf8": lambda r: (r / JSONL).write_bytes((r / JSONL).read_bytes() + b'{"id": "\xff"}\n'),
    "manifest-not-json": lambda r: (r / "manifest.json").write_text("{not json"),
    "manifest-a-list": lambda r: (r / "manifest.json").write_text("[1, 2]"),
    "croissant-not-utf8": lambda r: (r / "croissant.json").write_bytes(b"\xff{"),
    "unreadable": lambda r: ((r / JSONL).unlink(), (r / JSONL).mkdir()),  # a folder where a file should be
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_files_are_problems_naming_the_file_never_tracebacks(copy: Path, damage: str) -> None:
    DAMAGE[damage](copy)
    assert _problems(copy)


def _edit_json(path: Path, change: Callable[[dict], None]) -> None:
    value = json.loads(path.read_text(encoding="utf-8"))
    change(value)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


TAMPER: dict[str, tuple[Callable[[Path], None], str]] = {
    "card-prose": (lambda r: (r / "README.md").write_text(
        (r / "README.md").read_text(encoding="utf-8").replace("Each record", "Each fine record")), "manifest-mismatch"),
    "card-license": (lambda r: (r / "README.md").write_text(
        (r / "README.md").read_text(encoding="utf-8").replace("license: cc-by-4.0", "license: mit")), "card-mismatch"),
    "manifest-license": (lambda r: _edit_json(r / "manifest.json", lambda m: m["dataset"].update(license="mit")),
                         "card-mismatch"),
    "manifest-seeds": (lambda r: _edit_json(r / "manifest.json", lambda m: m["seeds"].pop(0)), "manifest-mismatch"),
    "manifest-seed-count": (lambda r: _edit_json(r / "manifest.json", lambda m: m["seeds"][0].update(articles=9)),
                            "manifest-mismatch"),
}


@pytest.mark.parametrize("tamper", TAMPER)
def test_edits_with_recomputed_checksums_are_caught(copy: Path, tamper: str) -> None:
    change, code = TAMPER[tamper]
    change(copy)
    resum(copy)
    assert code in {c for c, _ in _problems(copy)}


def test_the_build_digest_catches_a_tamperer_who_recomputes_everything(
    copy: Path, built: Path, fake_pipeline: None, make_config: Callable[..., BuildConfig]
) -> None:
    report = build_release(make_config())  # unchanged: the digest of the release as built
    assert report.digest == release_digest(built) and report.digest.startswith("sha256:")
    assert report.digest in (built.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert validate_release(copy, report.digest) == []
    rejects = copy / "rejects.jsonl"
    rejects.write_text("", encoding="utf-8")  # hide the rejects, fix every count the validator reads
    _edit_json(copy / "manifest.json", lambda m: m["counts"].update(rejects=0))
    _edit_json(copy / "manifest.json", lambda m: [s.update(rejects=0) for s in m["seeds"]])
    _edit_json(copy / "manifest.json", lambda m: [f.update(bytes=0, sha256=hashlib.sha256(b"").hexdigest())
                                                 for f in m["files"] if f["path"] == "rejects.jsonl"])
    resum(copy)
    assert validate_release(copy) == []
    result = CliRunner().invoke(main, ["validate", str(copy), "--expect-digest", report.digest])
    assert result.exit_code == 1 and "digest-mismatch" in result.output


@pytest.mark.parametrize("typo", ["foo", "sha256:", "sha256:" + "g" * 64, "b9" * 31])
def test_an_expected_digest_that_is_no_digest_is_bad_input(copy: Path, typo: str) -> None:
    """A typo in --expect-digest is a usage error (exit 2) saying what a digest looks like, not a
    digest-mismatch problem of the release (exit 1)."""
    result = CliRunner().invoke(main, ["validate", str(copy), "--expect-digest", typo])
    assert result.exit_code == 2 and "is not a release digest" in result.output
    assert "digest-mismatch" not in result.output


def test_a_card_that_is_not_utf8_is_one_problem_saying_so_once(copy: Path) -> None:
    """Found validating a release whose README.md had a stray byte: 'not UTF-8 (byte N); rebuild the release;
    rebuild the release' (the reader's advice, then the card check's again)."""
    (copy / "README.md").write_bytes((copy / "README.md").read_bytes() + b"\xff")
    cards = [p for p in validate_release(copy) if p.code == "card-mismatch"]
    assert len(cards) == 1 and "not UTF-8" in cards[0].message, cards
    assert cards[0].message.count("rebuild the release") == 1, cards[0].message
