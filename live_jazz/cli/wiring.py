"""Wiring shared by ``live-jazz play --headless`` and the TUI: options -> a ready ``Engine``.

The TUI's ``make_app(config, engine)`` gets its engine from ``build_engine(options)``; tests pass
``PlayOptions(..., midi_api="test")`` to get an engine on a recording port with no MIDI backend.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from live_jazz.engine.config import ConfigError, EngineConfig

if TYPE_CHECKING:
    from live_jazz.engine.engine import Engine

Sync = Literal["internal", "external"]


@dataclass(frozen=True)
class PlayOptions:
    """Everything ``build_engine`` needs besides the engine's own settings."""

    config: EngineConfig = field(default_factory=EngineConfig)
    """The engine's settings (tempo, swing, chords, mode, ...)."""
    weights: Path | None = None
    """Weights folder (None: the shipped weights or ``$LIVE_JAZZ_WEIGHTS``)."""
    midi_api: str = "auto"
    """``auto``, ``alsa``, ``jack``, ``coremidi``, or ``test`` (a recording port, no backend)."""
    out_port: str | None = None
    """An existing output port by name or substring; None: a virtual port ``live-jazz``."""
    in_port: str | None = None
    """An existing input port by name or substring; None: a virtual port ``live-jazz in``."""
    no_input: bool = False
    """Open no input port at all."""
    record: Path | None = None
    """Where to record the session (None: a new file in the sessions folder)."""
    no_record: bool = False
    """Record nothing."""
    sync: Sync = "internal"
    """Clock source: internal, or a DAW's MIDI clock on the input port."""
    send_clock: bool = False
    """Send MIDI clock (24 ppqn) and Start/Stop to the output: be the master."""
    client_name: str = "live-jazz"
    """Name of the MIDI client and of the virtual output port."""


def build_engine(options: PlayOptions) -> Engine:
    """Load the weights, open the ports, and return an Engine (not yet started).

    Raises ``CliError`` with a one-line message for a user error (unknown port, no MIDI backend,
    unreadable weights).
    """
    raise NotImplementedError("being written (issue 4)")


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``play`` and the TUI (tempo, chords, ports, ...)."""
    raise NotImplementedError("being written (issue 4)")


def options_from_args(args: argparse.Namespace, base: EngineConfig | None = None) -> PlayOptions:
    """``PlayOptions`` from parsed ``add_engine_options`` arguments; options not given keep
    their value in ``base`` (e.g. the TUI's saved settings). Raises CliError."""
    raise NotImplementedError("being written (issue 4)")


__all__ = [
    "ConfigError",
    "PlayOptions",
    "add_engine_options",
    "build_engine",
    "options_from_args",
]
