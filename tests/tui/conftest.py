"""Fixtures of the TUI's tests: a fake engine, and the user's config folder in tmp."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fakes import FakeEngine

from live_jazz.engine.config import EngineConfig
from live_jazz.tui.app import LiveJazzApp, make_app


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user's config folder at tmp: no test reads or writes the real settings."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


@pytest.fixture
def config() -> EngineConfig:
    return EngineConfig(seed=0)


@pytest.fixture
def engine(config: EngineConfig, tmp_path: Path) -> FakeEngine:
    return FakeEngine(config, recording=tmp_path / "session.mid")


@pytest.fixture
def app(config: EngineConfig, engine: FakeEngine) -> LiveJazzApp:
    return make_app(config, engine)
