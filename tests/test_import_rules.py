"""The direction of imports (DESIGN.md): the house stands on these."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "live_jazz"

# What each layer of live_jazz may import from live_jazz (besides itself).
ALLOWED = {
    "theory": set(),
    "encoding": {"theory"},
    "model": {"theory", "encoding"},
    "music": {"theory", "encoding", "model"},
    "engine": {"theory", "encoding", "model", "music", "midi_io"},
    "midi_io": {"theory", "encoding", "engine"},
    "bench": {"theory", "encoding", "model", "music", "engine", "midi_io", "cli", "tui"},
    "tui": {"theory", "encoding", "model", "music", "engine", "midi_io", "cli"},
    "cli": {"theory", "encoding", "model", "music", "engine", "midi_io", "tui", "bench"},
}
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


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layer_imports_point_one_way(path: Path):
    layer = layer_of(path)
    for module, _ in imports(path):
        root = module.split(".")[0]
        assert root != "training", f"{path.name}: live_jazz never imports training/"
        if root == "textual":
            assert layer == "tui", f"{path.name}: only live_jazz/tui imports Textual"
        if root == "live_jazz" and layer in ALLOWED:
            target = module.split(".")[1] if "." in module else ""
            if target and target != layer:
                assert target in ALLOWED[layer], f"{path.name}: {layer} must not import {target}"


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
    assert {layer_of(p) for p in SOURCES} >= {"theory", "encoding", "model", "cli"}
