"""Publish a release folder to a Hugging Face Hub dataset repo, tagged ``v<version>``.

The release is validated, then uploaded in ONE commit (``HfApi.create_commit``: every
file is uploaded first, the commit lands only when all are there), which also deletes
stale shards under ``data/`` and ``jsonl/`` left by an earlier version; only then is the
commit tagged, so ``load_dataset(repo, revision="v1.2.0")`` gets exactly that release.
A tag that already exists is compared through its ``SHA256SUMS``: identical is a no-op,
different is refused. The Hub client is injected as :class:`HubApi` (tests use a fake).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from builders.errors import ConfigError, PublishError, one_line
from builders.release.files import SUMS_FILE, sha256_file
from builders.release.info import ReleaseInfo, open_release
from builders.release.write import DATA_DIR, JSONL_DIR

REPO_TYPE = "dataset"
REPO_ID_RE = re.compile(r"^[\w.-]+/[\w.-]+$")
MANAGED_DIRS = (f"{DATA_DIR}/", f"{JSONL_DIR}/")
"""Remote folders the release owns: files there that the release lacks are deleted."""
Status = Literal["planned", "published", "unchanged"]


class HubApi(Protocol):
    """The part of :class:`huggingface_hub.HfApi` publishing uses."""

    def create_repo(self, repo_id: str, *, private: bool | None = None, repo_type: str | None = None,
                    exist_ok: bool = False) -> Any: ...

    def list_repo_refs(self, repo_id: str, *, repo_type: str | None = None) -> Any: ...

    def list_repo_files(self, repo_id: str, *, revision: str | None = None, repo_type: str | None = None) -> Any: ...

    def hf_hub_download(self, repo_id: str, filename: str, *, repo_type: str | None = None,
                        revision: str | None = None) -> Any: ...

    def create_commit(self, repo_id: str, operations: Iterable[Any], *, commit_message: str,
                      commit_description: str | None = None, repo_type: str | None = None) -> Any: ...

    def create_tag(self, repo_id: str, *, tag: str, tag_message: str | None = None, revision: str | None = None,
                   repo_type: str | None = None) -> Any: ...


@dataclass(frozen=True)
class PlannedFile:
    """A file of the release as it will be uploaded (``path`` relative to the release and the repo root)."""

    path: str
    bytes: int
    sha256: str


@dataclass
class HubPlan:
    """What publishing will do, known without the network."""

    repo_id: str
    private: bool
    tag: str
    commit_message: str
    commit_description: str
    files: list[PlannedFile]

    def render(self) -> str:
        """The plan as printed by ``--dry-run``."""
        visibility = "private" if self.private else "public"
        lines = [f"repo: {self.repo_id} (dataset, {visibility}; created if missing)",
                 f"commit: {self.commit_message!r} ({len(self.files)} files, "
                 f"{sum(f.bytes for f in self.files)} bytes; stale files under "
                 f"{', '.join(MANAGED_DIRS)} at main are deleted)"]
        lines += [f"  {f.sha256}  {f.bytes:>12}  {f.path}" for f in self.files]
        lines.append(f"tag: {self.tag} -> that commit")
        return "\n".join(lines)


@dataclass
class HubReport:
    """What publishing did."""

    plan: HubPlan
    status: Status
    commit: str | None = None
    deleted: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for humans (the whole plan for a dry run)."""
        if self.status == "planned":
            return self.plan.render()
        where = f"{self.plan.repo_id}@{self.plan.tag}"
        if self.status == "unchanged":
            return f"unchanged {where}: the tag already holds this release"
        return f"published {where}: commit {self.commit}, {len(self.plan.files)} files, {len(self.deleted)} deleted"


def make_plan(info: ReleaseInfo, repo_id: str, private: bool) -> HubPlan:
    """The upload plan of a validated release: every file, sorted, with size and SHA-256."""
    paths = sorted(p for p in info.root.rglob("*") if p.is_file())
    files = [PlannedFile(p.relative_to(info.root).as_posix(), p.stat().st_size, sha256_file(p)) for p in paths]
    return HubPlan(repo_id, private, info.tag, f"Release {info.name} {info.version}",
                   f"manifest.json sha256 {info.manifest_sha256}; {info.records} records", files)


def resolve_token(token: str | None) -> str:
    """``token``, else ``HF_TOKEN`` or the ``hf auth login`` token file.

    Raises:
        ConfigError: there is none.
    """
    from huggingface_hub import get_token

    found = token or get_token()
    if not found:
        raise ConfigError("no Hugging Face token: set HF_TOKEN or run `hf auth login` (or use --dry-run)")
    return found


def tagged_sums(api: HubApi, plan: HubPlan) -> str | None:
    """The SHA256SUMS text at the plan's tag; None when the tag does not exist.

    Raises:
        PublishError: the tag exists but holds no SHA256SUMS (not a xianbao release).
    """
    from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

    refs = api.list_repo_refs(plan.repo_id, repo_type=REPO_TYPE)
    if plan.tag not in {ref.name for ref in refs.tags}:
        return None
    try:
        path = api.hf_hub_download(plan.repo_id, SUMS_FILE, repo_type=REPO_TYPE, revision=plan.tag)
    except LocalEntryNotFoundError:
        raise  # no answer from the Hub (and no cached copy), not a missing file: upload() says so
    except EntryNotFoundError as err:
        raise PublishError(f"{plan.repo_id} already has tag {plan.tag} without {SUMS_FILE}; "
                           "it is not this release: bump the version") from err
    return Path(path).read_text(encoding="utf-8")


def operations(api: HubApi, plan: HubPlan, root: Path) -> tuple[list[Any], list[str]]:
    """The commit's operations (add every file, delete stale managed files) and the deleted paths."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    ours = {f.path for f in plan.files}
    remote = api.list_repo_files(plan.repo_id, repo_type=REPO_TYPE)
    stale = sorted(p for p in remote if p.startswith(MANAGED_DIRS) and p not in ours)
    adds = [CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=str(root / f.path)) for f in plan.files]
    return [*adds, *(CommitOperationDelete(path_in_repo=p) for p in stale)], stale


def unreachable_errors() -> tuple[type[Exception], ...]:
    """What a Hub request raises when no answer came back (refused, proxy, DNS, timeout, HF_HUB_OFFLINE).

    The HTTP client's errors (httpx's ``HTTPError``, which huggingface_hub's errors build on, is not an
    OSError; requests' are), connection and timeout errors (``OfflineModeIsEnabled`` is a
    ConnectionError), and ``LocalEntryNotFoundError``: a download that got no answer and has no cached copy.
    An answer with an error status is an :class:`~huggingface_hub.errors.HfHubHTTPError` instead.
    """
    from huggingface_hub import errors

    client: type[Exception] = errors.HTTPError  # type: ignore[attr-defined]  # the HTTP client's, as imported there
    found: list[type[Exception]] = [client, ConnectionError, TimeoutError, errors.LocalEntryNotFoundError]
    try:
        from requests import RequestException
    except ImportError:
        pass
    else:
        found.append(RequestException)
    return tuple(found)


def upload(api: HubApi, plan: HubPlan, info: ReleaseInfo) -> HubReport:
    """Create the repo if needed, then commit and tag the release (or find it already there).

    Raises:
        PublishError: the tag holds other content, the Hub refused a request, or it could not be reached.
    """
    from huggingface_hub.errors import HfHubHTTPError

    where = f"{plan.repo_id}@{plan.tag}"
    try:
        api.create_repo(plan.repo_id, private=plan.private, repo_type=REPO_TYPE, exist_ok=True)
        theirs = tagged_sums(api, plan)
        if theirs is not None:
            if theirs != (info.root / SUMS_FILE).read_text(encoding="utf-8"):
                raise PublishError(f"{plan.repo_id} already has tag {plan.tag} with different content "
                                   f"({SUMS_FILE} differs); versions are immutable: bump the version")
            return HubReport(plan, "unchanged")
        ops, deleted = operations(api, plan, info.root)
        commit = api.create_commit(plan.repo_id, ops, commit_message=plan.commit_message,
                                   commit_description=plan.commit_description, repo_type=REPO_TYPE)
        api.create_tag(plan.repo_id, tag=plan.tag, tag_message=plan.commit_message, revision=commit.oid,
                       repo_type=REPO_TYPE)
    except HfHubHTTPError as err:  # the Hub answered with an error status
        raise PublishError(f"the Hub refused publishing {where}: {one_line(err)}") from err
    except unreachable_errors() as err:
        raise PublishError(f"the Hub could not be reached publishing {where}: {one_line(err)}; check the network "
                           "and the proxy (HTTPS_PROXY, HF_ENDPOINT, HF_HUB_OFFLINE), or use --dry-run") from err
    except OSError as err:
        raise PublishError(f"the Hub refused publishing {where}: {one_line(err)}") from err
    return HubReport(plan, "published", commit.oid, deleted)


def publish_hub(release: Path, repo_id: str, private: bool = False, dry_run: bool = False,
                api: HubApi | None = None, token: str | None = None) -> HubReport:
    """Publish the release folder ``release`` to the dataset repo ``repo_id``, tagged ``v<version>``.

    Args:
        release: A release folder, ``dist/<name>/<version>``.
        repo_id: ``ORG/NAME`` of the dataset repo.
        private: Create the repo private (an existing repo keeps its visibility).
        dry_run: Only validate and plan: no token and no network needed.
        api: The Hub client; default ``HfApi(token=...)``.
        token: Hub token; default ``HF_TOKEN`` or the login token file (not needed with ``api``).

    Raises:
        ConfigError: bad ``repo_id`` or no token, before any work.
        InvalidReleaseError: the release fails validation; nothing is uploaded.
        PublishError: the tag holds other content, the Hub refused a request, or it could not be reached.
    """
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id  # type: ignore[attr-defined]  # public, lazily exported

    if not REPO_ID_RE.match(repo_id):
        raise ConfigError(f"--repo-id {repo_id!r} is not ORG/NAME")
    try:
        validate_repo_id(repo_id)
    except HFValidationError as err:
        raise ConfigError(f"--repo-id {repo_id!r} is not a valid Hub repo id: {one_line(err)}") from err
    if api is None and not dry_run:
        from huggingface_hub import HfApi

        api = HfApi(token=resolve_token(token))
    info = open_release(release)
    plan = make_plan(info, repo_id, private)
    if dry_run or api is None:
        return HubReport(plan, "planned")
    return upload(api, plan, info)
