"""The package tree is the pipeline: imports flow one way, from later stages to earlier ones.

Every module of ``builders`` belongs to one stage (its sub-package, or its own name at the
top). A module may import modules of its own stage or of an earlier one, never of a later
stage, and no modules import each other in a circle. ``schema`` is the leaf: it imports
nothing of ``builders``. Checked over the source with :mod:`ast`, so a lazy import inside
a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["base", "segment", "read", "parse", "enrich", "pipeline", "release", "scale", "reuse", "build", "publish",
          "review",
          "cli"]
"""Earliest first. ``base`` is builders/__init__, errors and memo."""
TOP_LEVEL = {"__init__": "base", "errors": "base", "memo": "base", "pipeline": "pipeline", "build": "build",
             "cli": "cli", "cli_scale": "cli", "cli_output": "cli"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def stage_of(module: str) -> str:
    """The stage of a ``builders`` module (``builders.parse.layout`` -> ``parse``)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "base"
    name = parts[1]
    if name in STAGES and name not in TOP_LEVEL:
        return name
    if name not in TOP_LEVEL:
        raise AssertionError(f"{module}: not in a stage; add it to a sub-package or to TOP_LEVEL in {__file__}")
    return TOP_LEVEL[name]


def imports_of(path: Path, module: str) -> set[str]:
    """Project modules imported by one file (``from builders.x import y`` counts ``builders.x.y`` if a module)."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] in ("builders", "schema")}


def project_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (only names that are modules)."""
    files = {module_name(p): p for pkg in ("builders", "schema") for p in (ROOT / pkg).rglob("*.py")}
    return {m: {i for i in imports_of(p, m) if i in files and i != m} for m, p in files.items()}


def back_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports that go against the stage order (or out of the leaf ``schema``)."""
    wrong = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if module.startswith("schema"):
                if target.startswith("builders"):
                    wrong.append(f"{module} -> {target} (schema is the leaf)")
                continue
            if target.startswith("schema"):
                continue
            if target == "builders":  # the package itself: __version__
                continue
            if STAGES.index(stage_of(target)) > STAGES.index(stage_of(module)):
                wrong.append(f"{module} ({stage_of(module)}) -> {target} ({stage_of(target)})")
    return wrong


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import circles among project modules (one path per strongly connected set)."""
    found, state, stack = [], dict[str, int](), list[str]()

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_every_import_follows_the_stage_order() -> None:
    assert back_imports(project_graph()) == []


def test_no_import_circle() -> None:
    assert cycles(project_graph()) == []


def test_every_module_has_a_stage() -> None:
    for module in project_graph():
        if module.startswith("builders"):
            assert stage_of(module) in STAGES


@pytest.mark.parametrize(
    ("module", "target", "source"),
    [
        ("builders.parse.layout", "builders.release.write", "from builders.release.write import record_json\n"),
        ("builders.release.stats", "builders.scale.engines", "def f():\n    from builders.scale import engines\n"),
        ("schema.article", "builders.errors", "import builders.errors\n"),
    ],
)
def test_a_back_import_is_caught(module: str, target: str, source: str, tmp_path: Path) -> None:
    """The checks are not vacuous: a back-import or a circle added to the graph is reported."""
    graph = project_graph()
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    graph[module] = graph[module] | {i for i in imports_of(path, module) if i in graph}
    assert any(line.startswith(module) and target in line for line in back_imports(graph))


def test_a_circle_is_caught() -> None:
    graph = project_graph()
    graph["builders.errors"] = graph["builders.errors"] | {"builders.memo"}
    graph["builders.memo"] = graph["builders.memo"] | {"builders.errors"}
    assert ["builders.errors", "builders.memo", "builders.errors"] in cycles(graph)


def _shipped(package: str, patterns: list[str], packages: set[str]) -> set[Path]:
    folder = ROOT.joinpath(*package.split("."))
    return {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()} if package in packages else set()


def test_every_data_file_is_shipped_in_the_wheel() -> None:
    """Every file of ``schema`` and ``builders`` that is no module is package data of a listed package (a
    data folder left out of pyproject.toml would be missing from a wheel install)."""
    import tomllib

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = set(setup["packages"])
    shipped = {p for package, patterns in setup["package-data"].items() for p in _shipped(package, patterns, packages)}
    data = {p for top in ("schema", "builders") for p in (ROOT / top).rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    assert data, "the tree has data files"
    assert sorted(str(p.relative_to(ROOT)) for p in data - shipped) == []
    folders = {module_name(p.parent / "x.py").rpartition(".")[0] for p in data}
    assert folders <= packages, f"data folders not listed as packages: {sorted(folders - packages)}"


def test_every_module_path_the_docs_name_exists() -> None:
    """README.md and pyproject.toml name modules by path (``builders/segment/fast.py``): each exists (a moved
    module left a comment naming a file that was gone)."""
    import re

    module = re.compile(r"\b(?:builders|schema|tests)/[\w/]+\.py\b")
    named = {(doc, path) for doc in ("README.md", "pyproject.toml")
             for path in module.findall((ROOT / doc).read_text(encoding="utf-8"))}
    assert len(named) > 10, "the docs name modules"
    assert sorted(f"{doc}: {path}" for doc, path in named if not (ROOT / path).is_file()) == []
