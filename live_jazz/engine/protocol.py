"""The engine as its users see it (the TUI, the headless player, tests' fakes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from live_jazz.engine.commands import EngineCommand
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.events import EngineEvent
from live_jazz.midi_io.ports import PortChange


class EngineHandle(Protocol):
    """Start it, send it commands, hear from it, close it."""

    @property
    def config(self) -> EngineConfig:
        """The settings in force now."""

    def subscribe(self, subscriber: Callable[[EngineEvent], None]) -> None:
        """Call ``subscriber`` with every event, from the engine's threads; it must not block."""

    def submit(self, command: EngineCommand) -> None:
        """Queue a command (thread-safe, returns at once)."""

    def port_changed(self, change: PortChange) -> None:
        """A port watcher saw an output or input vanish or return (any thread; returns at
        once): give it to each port opened for the engine (``Outputs.open``)."""

    def start(self) -> None:
        """Start the engine's threads; the transport waits for a Play command."""

    @property
    def recording_error(self) -> str | None:
        """Why the recording's last write failed; after ``close``, why it is lost. None when
        it was written (or there is none)."""

    def close(self) -> Path | None:
        """Stop cleanly: note-offs for every open note, All Notes Off, recording closed.
        Returns the recording's path if there is one and it was written (None if it could
        not be: ``recording_error`` says why). Safe to call twice."""
