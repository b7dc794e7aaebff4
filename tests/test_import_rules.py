"""The direction of imports (ARCHITECTURE.md, "Layers"): the house stands on these.

Every layer of ``live_jazz`` imports only the layers below it in ``LAYERS``, and no module
imports itself back through others: a cycle between modules fails here, whether its imports
stand at the top of a file or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "live_jazz"

LAYERS = ["command", "files", "theory", "encoding", "model", "music", "midi_io", "synth",
          "audio_in", "engine", "tui", "bench", "cli"]
"""Lowest first: a layer may import those before it, never those after it."""
HEAVY = {"tensorflow", "keras"}


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, id(node) in top_level))
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0] if parts[0] != "__init__" else ""


SOURCES = sorted(PACKAGE.rglob("*.py"))
MODULES = {module_name(path): path for path in SOURCES}


def edges(path: Path) -> set[str]:
    """The live_jazz modules ``path`` imports (``from package import module`` counts as the
    module, ``from module import name`` as the module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module in MODULES and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in MODULES else node.module)
    found.discard(module_name(path))
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layer_imports_point_one_way(path: Path):
    layer = layer_of(path)
    for module, _ in imports(path):
        root = module.split(".")[0]
        assert root != "training", f"{path.name}: live_jazz never imports training/"
        if root == "textual":
            assert layer == "tui", f"{path.name}: only live_jazz/tui imports Textual"
        if root == "live_jazz" and layer:
            target = module.split(".")[1] if "." in module else ""
            assert target in LAYERS, f"{path.name}: {target!r} is in no layer (LAYERS)"
            assert LAYERS.index(target) <= LAYERS.index(layer), \
                f"{path.name}: {layer} must not import {target} (a layer above it)"


def test_no_module_imports_itself_back():
    graph = {name: edges(path) for name, path in MODULES.items()}
    assert cycles(graph) == []


def test_the_cycle_finder_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_tensorflow_is_imported_lazily(path: Path):
    for module, top_level in imports(path):
        if module.split(".")[0] in HEAVY:
            assert not top_level, f"{path.name}: import {module} inside the function that needs it"


def test_theory_is_pure():
    for path in (PACKAGE / "theory").rglob("*.py"):
        for module, _ in imports(path):
            assert module.split(".")[0] not in {"numpy", "mido", "rtmidi", "os", "io"}, path.name


def test_the_rules_see_the_whole_package():
    assert {layer_of(p) for p in SOURCES} >= set(LAYERS)
