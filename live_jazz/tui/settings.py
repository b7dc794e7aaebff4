"""The user's settings file: what they changed in the TUI, restored next time.

``$XDG_CONFIG_HOME/live-jazz/settings.json`` (``~/.config/live-jazz/settings.json`` when
``XDG_CONFIG_HOME`` is unset; ``%APPDATA%\\live-jazz`` on Windows). Only settings the user changed
are written, so a command-line option used once is not remembered unless it was then changed in
the TUI. Command-line options override the file. A broken file or a bad entry is skipped with a
warning, never fatal.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from live_jazz.engine.config import ConfigError, EngineConfig
from live_jazz.theory import LeadSheetError, Progression, parse_progression

SETTINGS_FILE = "settings.json"
PERSISTED = ("tempo", "swing", "swing_auto", "intensity", "temperature", "mode",
             "answer_style", "progression", "output", "controls")
"""The settings the file remembers (``output``: the port screen's choice; ``controls``: the
learned ``TARGET=SOURCE`` bindings; these two are opened by the CLI, not the engine config)."""

log = logging.getLogger(__name__)


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the settings file lives for this user."""
    env = os.environ if environ is None else environ
    if sys.platform == "win32" and env.get("APPDATA"):
        base = Path(env["APPDATA"])
    elif env.get("XDG_CONFIG_HOME"):
        base = Path(env["XDG_CONFIG_HOME"])
    else:
        base = Path(env.get("HOME", str(Path.home()))) / ".config"
    return base / "live-jazz" / SETTINGS_FILE


def load_settings(path: Path) -> dict[str, Any]:
    """The saved settings as JSON values (empty if there is no file or it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("ignoring settings file %s: %s", path, error)
        return {}
    if not isinstance(data, dict):
        log.warning("ignoring settings file %s: not a JSON object", path)
        return {}
    return {key: value for key, value in data.items() if key in PERSISTED}


def apply_settings(config: EngineConfig, saved: Mapping[str, Any]) -> EngineConfig:
    """`config` with the saved settings applied; a bad entry is skipped with a warning."""
    for key, value in saved.items():
        if key in ("output", "controls"):
            continue  # the CLI opens them (cli/tui.py)
        try:
            if key == "progression":
                change: Any = _progression_from_json(value)
            elif key in ("mode", "answer_style"):
                change = str(value)
            elif key == "swing":  # a saved ratio is an explicit one (auto saves swing_auto)
                config = config.with_changes(swing=float(value), swing_auto=False)
                continue
            elif key == "swing_auto":
                if not isinstance(value, bool):
                    raise ValueError("not true or false")
                change = value
            else:
                change = float(value)
            config = config.with_changes(**{key: change})
        except (ConfigError, LeadSheetError, TypeError, ValueError, KeyError) as error:
            log.warning("ignoring saved setting %s: %s", key, error)
    return config


def save_settings(path: Path, changed: Mapping[str, Any], previous: Mapping[str, Any]) -> None:
    """Write `previous` updated with the settings the user `changed` (EngineConfig values)."""
    data = dict(previous)
    for key, value in changed.items():
        if key in PERSISTED:
            data[key] = _progression_to_json(value) if key == "progression" else value
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)  # atomic: a crash never leaves half a file


def _progression_to_json(progression: Progression) -> dict[str, Any]:
    return {
        "name": progression.name,
        "text": progression.to_text(),
        "beats_per_bar": progression.beats_per_bar,
    }


def _progression_from_json(value: Any) -> Progression:
    if not isinstance(value, dict):
        raise ValueError("not an object with the lead-sheet text")
    return parse_progression(
        str(value["text"]),
        beats_per_bar=int(value.get("beats_per_bar", 4)),
        name=str(value.get("name", "")),
    )
