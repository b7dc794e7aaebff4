"""A fake engine for the TUI's tests: implements ``EngineHandle``, records the commands it gets,
and lets a test speak for the engine (``emit``) the way the real one does, from another thread."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any

from live_jazz.engine.commands import EngineCommand
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.events import (
    ChordChanged,
    EngineEvent,
    LogLine,
    ModelStepped,
    NotePlayed,
    PortsChanged,
    TransportChanged,
)
from live_jazz.midi_io.ports import PortChange


class FakeEngine:
    """An ``EngineHandle`` with no clock and no ports."""

    def __init__(self, config: EngineConfig, recording: Path | None = None) -> None:
        self._config = config
        self.recording = recording
        self.listeners: list[Callable[[EngineEvent], None]] = []
        self.commands: list[EngineCommand] = []
        self.port_changes: list[PortChange] = []
        self.started = False
        self.closed = 0

    @property
    def config(self) -> EngineConfig:
        return self._config

    @property
    def recording_error(self) -> str | None:
        return None

    def subscribe(self, listener: Callable[[EngineEvent], None]) -> None:
        self.listeners.append(listener)

    def submit(self, command: EngineCommand) -> None:
        self.commands.append(command)

    def port_changed(self, change: PortChange) -> None:
        self.port_changes.append(change)

    def start(self) -> None:
        self.started = True
        self.emit([PortsChanged("live-jazz", "live-jazz in", "test", "internal",
                                str(self.recording) if self.recording else None)])

    def close(self) -> Path | None:
        self.closed += 1
        return self.recording

    def emit(self, events: Iterable[EngineEvent]) -> None:
        """Send events to the listeners from another thread, as the engine does."""
        thread = threading.Thread(target=lambda: [self._tell(e) for e in events])
        thread.start()
        thread.join()

    def _tell(self, event: EngineEvent) -> None:
        for listener in self.listeners:
            listener(event)


def a_few_bars(config: EngineConfig, turn: str = "solo", bars: int = 3) -> list[EngineEvent]:
    """What the engine says while playing `bars` bars: a deterministic little performance with
    the human's notes in the first bar and the improviser's after."""
    events: list[EngineEvent] = [LogLine("warning", "1 event late by 2.1 ms")]
    progression = config.progression
    per_bar = progression.beats_per_bar
    for bar in range(bars):
        chords = progression.bar_chords(bar)
        following = progression.bar_chords(bar + 1)
        for beat in range(per_bar):
            onset = bar * per_bar + beat
            left = None if config.mode == "solo" else float(per_bar * 2 - onset % (per_bar * 2))
            events.append(TransportChanged(True, bar, float(beat), config,
                                           turn, left, 1, config.tempo))  # type: ignore[arg-type]
            if beat == 0:  # after that beat's transport, as the engine does
                events.append(ChordChanged(bar % progression.n_bars, chords[0].symbol,
                                           following[0].symbol))
            player = "human" if bar == 0 and turn != "solo" else "improviser"
            for half in (0.0, 0.5):
                pitch = 60 + (onset * 5 + int(half * 4)) % 14
                events.append(NotePlayed(player, pitch, 90, onset + half, 0.5))
                events.append(ModelStepped(1.0 + (onset % 5) / 4, 0.2 + (onset % 7) / 10,
                                           3.0 + onset % 3, 5.0 + onset % 4, "C:+2:6"))
    return events


def drawn(app: Any) -> list[str]:
    """The lines the screen draws now, as the terminal shows them (what is drawn, not what a
    widget holds)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def synchronously(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test (Pilot needs one) in its own event loop, without an async plugin for
    pytest; the fixtures are passed through."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
