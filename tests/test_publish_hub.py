"""publish_hub: plan, one commit + tag per version, refusals and the validation gate, against a fake Hub."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from huggingface_hub import CommitOperationAdd, CommitOperationDelete
from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

from builders.cli import main
from builders.errors import ConfigError, InvalidReleaseError, PublishError
from builders.publish.hub import HubApi, publish_hub
from builders.release.files import sha256_file
from tests.releases import V1, V2, build

REPO = "xianbao/test-papers"


class FakeHub:
    """An in-memory Hub: commits are {path: bytes}; tags point at commit indexes; every call is logged."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.calls = tmp, []
        self.private: bool | None = None
        self.commits: list[dict[str, bytes]] = []
        self.messages: list[str] = []
        self.tags: dict[str, int] = {}

    def head(self) -> dict[str, bytes]:
        return dict(self.commits[-1]) if self.commits else {}

    def create_repo(self, repo_id: str, *, private: bool | None = None, repo_type: str | None = None,
                    exist_ok: bool = False) -> Any:
        self.calls.append("create_repo")
        assert repo_type == "dataset" and exist_ok
        self.private = private if self.private is None else self.private

    def list_repo_refs(self, repo_id: str, *, repo_type: str | None = None) -> Any:
        return SimpleNamespace(tags=[SimpleNamespace(name=t) for t in self.tags])

    def list_repo_files(self, repo_id: str, *, revision: str | None = None, repo_type: str | None = None) -> Any:
        return sorted(self.head())

    def hf_hub_download(self, repo_id: str, filename: str, *, repo_type: str | None = None,
                        revision: str | None = None) -> Any:
        files = self.commits[self.tags[revision]] if revision in self.tags else self.head()
        if filename not in files:
            raise EntryNotFoundError(filename)
        (self.tmp / filename).write_bytes(files[filename])
        return str(self.tmp / filename)

    def create_commit(self, repo_id: str, operations: Iterable[Any], *, commit_message: str,
                      commit_description: str | None = None, repo_type: str | None = None) -> Any:
        self.calls.append("create_commit")
        files = self.head()
        for op in operations:
            if isinstance(op, CommitOperationAdd):
                files[op.path_in_repo] = Path(op.path_or_fileobj).read_bytes()
            else:
                assert isinstance(op, CommitOperationDelete)
                del files[op.path_in_repo]
        self.commits.append(files)
        self.messages.append(commit_message)
        return SimpleNamespace(oid=f"commit{len(self.commits) - 1}")

    def create_tag(self, repo_id: str, *, tag: str, tag_message: str | None = None, revision: str | None = None,
                   repo_type: str | None = None) -> Any:
        self.calls.append("create_tag")
        assert tag not in self.tags and revision is not None
        self.tags[tag] = int(revision.removeprefix("commit"))


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("releases")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build(folder, monkeypatch, "1.0.0", V1), build(folder, monkeypatch, "1.1.0", V2)


@pytest.fixture
def hub(tmp_path: Path) -> FakeHub:
    return FakeHub(tmp_path)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_fake_is_a_hub_api(hub: FakeHub) -> None:
    api: HubApi = hub  # mypy checks HfApi against the same Protocol in builders/publish_hub.py
    assert api is hub


def test_dry_run_prints_the_plan_without_token_or_network(
    releases: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("huggingface_hub.get_token", lambda: None)
    old = releases[0]
    result = CliRunner().invoke(main, ["publish", "hub", str(old), "--repo-id", REPO, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"repo: {REPO} (dataset, public" in result.output
    assert "commit: 'Release test-papers 1.0.0'" in result.output
    assert result.output.rstrip().endswith("tag: v1.0.0 -> that commit")
    for path, data in tree(old).items():
        assert f"{sha256_file(old / path)}  {len(data):>12}  {path}" in result.output


def test_no_token_is_one_line_before_any_work(releases: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("huggingface_hub.get_token", lambda: None)
    result = CliRunner().invoke(main, ["publish", "hub", str(releases[0]), "--repo-id", REPO])
    assert result.exit_code == 2
    assert result.output.startswith("error: no Hugging Face token") and result.output.count("\n") == 1


def test_one_commit_then_tag_per_version(releases: tuple[Path, Path], hub: FakeHub) -> None:
    old, new = releases
    report = publish_hub(old, REPO, private=True, api=hub)
    assert (report.status, hub.private) == ("published", True)
    assert hub.calls == ["create_repo", "create_commit", "create_tag"]
    assert hub.messages == ["Release test-papers 1.0.0"]
    hub.commits.append({**hub.head(), "data/train-00001-of-00002.parquet": b"stale shard of an older layout"})
    second = publish_hub(new, REPO, api=hub)
    assert second.deleted == ["data/train-00001-of-00002.parquet"]
    assert hub.commits[hub.tags["v1.0.0"]] == tree(old)  # revision="v1.0.0" is exactly that release
    assert hub.commits[hub.tags["v1.1.0"]] == tree(new)


def test_republishing_the_same_release_is_a_no_op(releases: tuple[Path, Path], hub: FakeHub) -> None:
    publish_hub(releases[0], REPO, api=hub)
    again = publish_hub(releases[0], REPO, api=hub)
    assert again.status == "unchanged" and again.summary().startswith("unchanged")
    assert hub.calls.count("create_commit") == 1


def test_tag_with_other_content_is_refused(releases: tuple[Path, Path], hub: FakeHub) -> None:
    publish_hub(releases[0], REPO, api=hub)
    hub.commits[hub.tags["v1.0.0"]]["SHA256SUMS"] = b"0000  other\n"
    with pytest.raises(PublishError, match=r"already has tag v1\.0\.0 with different content"):
        publish_hub(releases[0], REPO, api=hub)
    del hub.commits[hub.tags["v1.0.0"]]["SHA256SUMS"]
    with pytest.raises(PublishError, match="without SHA256SUMS"):
        publish_hub(releases[0], REPO, api=hub)
    assert hub.calls.count("create_commit") == 1


def test_invalid_release_is_never_uploaded(releases: tuple[Path, Path], hub: FakeHub, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(releases[0], tmp_path / "copy"))
    (copy / "rejects.jsonl").write_text("tampered\n")
    with pytest.raises(InvalidReleaseError, match="not a valid release"):
        publish_hub(copy, REPO, api=hub)
    assert hub.calls == []


def test_bad_repo_id(releases: tuple[Path, Path], hub: FakeHub) -> None:
    with pytest.raises(ConfigError, match="not ORG/NAME"):
        publish_hub(releases[0], "no-slash", api=hub)


def test_bad_repo_id_by_the_hubs_rules_is_one_line(releases: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["publish", "hub", str(releases[0]), "--repo-id", "org/a..b", "--dry-run"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: --repo-id 'org/a..b' is not a valid Hub repo id: Cannot have -- or ..")
    assert result.output.count("\n") == 1


def dead_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Offline mode off (conftest sets HF_HUB_OFFLINE) and a fresh HTTP client, which reads the proxy settings."""
    from huggingface_hub import close_session

    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_TOKEN", "hf_fake")
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    close_session()
    yield
    close_session()


@pytest.mark.parametrize("where", ["proxy", "endpoint"])
def test_unreachable_hub_is_one_line(
    releases: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, online: None, where: str
) -> None:
    """A dead proxy or Hub endpoint (httpx's ConnectError, not an OSError) is one error line, not a traceback."""
    if where == "proxy":
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{dead_port()}")
    else:
        monkeypatch.setattr("huggingface_hub.constants.ENDPOINT", f"http://127.0.0.1:{dead_port()}")
    result = CliRunner().invoke(main, ["publish", "hub", str(releases[0]), "--repo-id", REPO])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: the Hub could not be reached publishing {REPO}@v1.0.0: ")
    assert "check the network and the proxy" in result.output and "--dry-run" in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_offline_mode_is_one_line(releases: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_TOKEN", "hf_fake")
    result = CliRunner().invoke(main, ["publish", "hub", str(releases[0]), "--repo-id", REPO])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: the Hub could not be reached")
    assert "offline mode is enabled" in result.output and result.output.count("\n") == 1


def test_a_download_without_answer_is_not_a_missing_file(releases: tuple[Path, Path], hub: FakeHub) -> None:
    """hf_hub_download's LocalEntryNotFoundError (no answer, no cached copy) is unreachable, not "no SHA256SUMS"."""
    publish_hub(releases[0], REPO, api=hub)

    def no_answer(*args: Any, **kwargs: Any) -> Any:
        raise LocalEntryNotFoundError("An error happened while trying to locate the file on the Hub.\nMore.")

    hub.hf_hub_download = no_answer  # type: ignore[method-assign]
    with pytest.raises(PublishError, match=r"^the Hub could not be reached publishing .*: An error happened [^\n]*$"):
        publish_hub(releases[0], REPO, api=hub)
