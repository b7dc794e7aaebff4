"""The user's settings file: what they change is saved on quit and restored next time."""

from __future__ import annotations

import json
from pathlib import Path

from tui_fakes import FakeEngine, synchronously

from live_jazz.engine.config import EngineConfig
from live_jazz.theory import parse_progression
from live_jazz.tui.app import make_app
from live_jazz.tui.settings import apply_settings, load_settings, save_settings, settings_path


def test_the_file_is_in_the_users_config_folder(tmp_path: Path):
    assert settings_path({"XDG_CONFIG_HOME": str(tmp_path)}) == (
        tmp_path / "live-jazz" / "settings.json"
    )
    assert settings_path({"HOME": str(tmp_path)}) == (
        tmp_path / ".config" / "live-jazz" / "settings.json"
    )


def test_saved_settings_come_back(tmp_path: Path):
    path = tmp_path / "settings.json"
    progression = parse_progression("| Dm7 G7 | Cmaj7 |", name="two-five")
    changed = {"tempo": 133.0, "swing": 0.67, "swing_auto": False, "intensity": 1.4,
               "temperature": 0.8, "mode": "answer", "answer_style": "develop",
               "progression": progression}
    save_settings(path, changed, previous={})
    restored = apply_settings(EngineConfig(), load_settings(path))
    assert restored == EngineConfig().with_changes(**changed)


def test_swing_auto_comes_back_over_a_ratio_saved_before(tmp_path: Path):
    path = tmp_path / "settings.json"
    save_settings(path, {"swing": 0.67, "swing_auto": False}, previous={})
    save_settings(path, {"swing_auto": True}, previous=load_settings(path))
    assert apply_settings(EngineConfig(), load_settings(path)).swing_auto


def test_a_new_save_keeps_what_was_saved_before(tmp_path: Path):
    path = tmp_path / "settings.json"
    save_settings(path, {"tempo": 150.0}, previous={})
    save_settings(path, {"swing": 0.5}, previous=load_settings(path))
    assert load_settings(path) == {"tempo": 150.0, "swing": 0.5}


def test_a_broken_file_or_entry_is_skipped(tmp_path: Path, caplog):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == {}
    path.write_text(json.dumps({"tempo": 9000, "swing": 0.55, "mode": "duet", "volume": 3,
                                "answer_style": "loud",
                                "progression": {"text": "| H7 |"}}), encoding="utf-8")
    restored = apply_settings(EngineConfig(), load_settings(path))
    assert restored == EngineConfig(swing=0.55, swing_auto=False)
    assert "tempo" in caplog.text and "mode" in caplog.text and "progression" in caplog.text


@synchronously
async def test_changes_made_in_the_tui_are_saved_on_quit(config_home: Path):
    config = EngineConfig(tempo=100.0)
    engine = FakeEngine(config)
    app = make_app(config, engine)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("up", "up", "m", "right", "a", "q")
    saved = load_settings(config_home / "live-jazz" / "settings.json")
    assert saved == {"tempo": 102.0, "mode": "trade", "temperature": 1.05,
                     "answer_style": "echo"}


@synchronously
async def test_nothing_is_written_when_nothing_changed(config_home: Path):
    config = EngineConfig()
    app = make_app(config, FakeEngine(config))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("space", "p", "q")
    assert not (config_home / "live-jazz").exists()
