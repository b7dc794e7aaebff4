"""What each control does, without Textual: turns key presses into engine commands, stepping from
the settings the engine has in force. The App owns one; the tests drive it directly too.

The engine owns the settings: every change it applies (a key's, a knob's, the port screen's)
comes back in its events, and the controller shows those. A key's change is shown at once, on
top of the engine's settings, until the engine says it applied it (``CommandApplied``): a run of
fast key presses steps on from each other, and a knob turned meanwhile is not undone."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from live_jazz.engine.commands import (
    EngineCommand,
    Panic,
    Play,
    ResetModel,
    SetAnswerStyle,
    SetIntensity,
    SetMode,
    SetProgression,
    SetSwing,
    SetTemperature,
    SetTempo,
    Stop,
)
from live_jazz.engine.config import (
    MODES,
    TEMPERATURE_RANGE,
    TEMPO_RANGE,
    ConfigError,
    EngineConfig,
)
from live_jazz.engine.events import CommandApplied
from live_jazz.engine.protocol import EngineHandle
from live_jazz.music.answer_styles import ANSWER_STYLES
from live_jazz.music.dynamics import INTENSITY_RANGE
from live_jazz.theory import Progression

SWING_STEPS: tuple[float, ...] = (0.5, 0.58, 0.62, 0.67, 0.75)
"""The swing ratios `s` cycles through after auto: straight, light, medium, triplet, hard."""
INTENSITY_STEP = 0.1
SAVED_SETTINGS = ("tempo", "swing", "swing_auto", "intensity", "temperature", "mode",
                  "answer_style", "progression")
"""The settings the settings file keeps (``tui.settings.PERSISTED`` less the CLI's own)."""
TEMPERATURE_STEP = 0.05
TAP_TIMEOUT_S = 2.0
"""A pause longer than this between taps starts a new tap-tempo count."""
TAP_WINDOW = 4
"""Tap tempo averages the last this many intervals."""


def clamp(value: float, bounds: tuple[float, float]) -> float:
    """`value` pulled inside `bounds`."""
    low, high = bounds
    return min(max(value, low), high)


def next_swing(current: float, auto: bool = False) -> float | None:
    """The next swing after `current`: auto (None) -> straight -> ... -> hard -> auto."""
    if auto:
        return SWING_STEPS[0]
    for step in SWING_STEPS:
        if step > current + 1e-6:
            return step
    return None


def next_mode(current: str) -> str:
    """solo -> trade -> answer -> solo."""
    index = MODES.index(current) if current in MODES else -1
    return MODES[(index + 1) % len(MODES)]


def next_answer_style(current: str) -> str:
    """auto -> echo -> develop -> contrast -> auto."""
    index = ANSWER_STYLES.index(current) if current in ANSWER_STYLES else -1
    return ANSWER_STYLES[(index + 1) % len(ANSWER_STYLES)]


@dataclass
class TapTempo:
    """Tap tempo: the tempo of the last few taps, once there are two within the timeout."""

    taps: list[float] = field(default_factory=list)

    def tap(self, now: float) -> float | None:
        """Record a tap at `now` (seconds); the tempo it implies in BPM, or None for a first
        tap."""
        if self.taps and now - self.taps[-1] > TAP_TIMEOUT_S:
            self.taps.clear()
        self.taps.append(now)
        del self.taps[: -(TAP_WINDOW + 1)]
        if len(self.taps) < 2:
            return None
        interval = (self.taps[-1] - self.taps[0]) / (len(self.taps) - 1)
        if interval <= 0:
            return None
        return round(clamp(60.0 / interval, TEMPO_RANGE), 1)


class Controller:
    """The UI's side of the engine: steps a control from the settings shown and queues the
    command. Commands given before the engine is loaded wait and are sent once it is there."""

    def __init__(self, config: EngineConfig, engine: EngineHandle | None = None) -> None:
        self.in_force = config
        """The settings in force, as the engine last said."""
        self.config = config
        """The settings shown: those in force, with the changes still on their way on top."""
        self.started_with = config
        """The settings at the start (a setting that differs at quit is saved)."""
        self.playing = False
        """Whether the transport runs, as far as the UI knows."""
        self.touched: set[str] = set()
        """The settings the user changed from the UI in this session."""
        self.changed: dict[str, Any] = {}
        """What else the settings file remembers: the output chosen, the controls learned."""
        self.tap_tempo = TapTempo()
        self._engine = engine
        self._pending: list[EngineCommand] = []
        self._in_flight: list[tuple[EngineCommand, dict[str, Any]]] = []
        """Changes submitted and not yet applied by the engine, oldest first."""
        self._lock = threading.Lock()

    @property
    def engine(self) -> EngineHandle | None:
        """The engine, once loaded."""
        return self._engine

    def attach(self, engine: EngineHandle) -> None:
        """The engine has loaded: send it what the user asked for meanwhile."""
        with self._lock:
            self._engine = engine
            pending, self._pending = self._pending, []
        for command in pending:
            engine.submit(command)

    def submit(self, command: EngineCommand) -> None:
        """Queue a command for the engine (non-blocking)."""
        with self._lock:
            engine = self._engine
            if engine is None:
                self._pending.append(command)
                return
        engine.submit(command)

    def engine_reported(self, playing: bool, config: EngineConfig) -> None:
        """The engine's transport: whether it plays and the settings in force."""
        self.playing = playing
        self.in_force = config
        self._show()

    def applied(self, event: CommandApplied) -> None:
        """The engine applied (or refused) a command: ours is no longer on its way."""
        for index, (command, _) in enumerate(self._in_flight):
            if command is event.command:
                del self._in_flight[: index + 1]
                break
        self.in_force = event.config
        self._show()

    def _show(self) -> None:
        config = self.in_force
        for _, changes in self._in_flight:
            try:
                config = config.with_changes(**changes)
            except ConfigError:  # no longer fits what is in force: the engine will say
                pass
        self.config = config

    def settings_to_save(self) -> dict[str, Any]:
        """What the settings file keeps of this session: the settings the user changed and
        those that differ from the start (a knob's), as they are shown at quit."""
        names = set(self.touched)
        names.update(name for name in SAVED_SETTINGS
                     if getattr(self.config, name) != getattr(self.started_with, name))
        return {**{name: getattr(self.config, name) for name in names}, **self.changed}

    def _change(self, command: EngineCommand, **changes: Any) -> str:
        self._in_flight.append((command, changes))
        self.touched.update(changes)
        self._show()
        self.submit(command)
        key, value = next(iter(changes.items()))
        name = key.replace("_", " ")
        return f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}"

    # The controls; each returns a short description for a notification.

    def toggle_play(self) -> str:
        """space: play or stop."""
        self.playing = not self.playing
        self.submit(Play() if self.playing else Stop())
        return "play" if self.playing else "stop"

    def nudge_tempo(self, delta: float) -> str:
        """up/down: tempo +-1 BPM (shift: +-10)."""
        bpm = round(clamp(self.config.tempo + delta, TEMPO_RANGE), 1)
        return self._change(SetTempo(bpm), tempo=bpm)

    def set_tempo(self, bpm: float) -> str:
        """Set the tempo (tap tempo)."""
        bpm = round(clamp(bpm, TEMPO_RANGE), 1)
        return self._change(SetTempo(bpm), tempo=bpm)

    def nudge_temperature(self, delta: float) -> str:
        """left/right: temperature -+0.05."""
        value = round(clamp(self.config.temperature + delta, TEMPERATURE_RANGE), 2)
        return self._change(SetTemperature(value), temperature=value)

    def cycle_swing(self) -> str:
        """s: the next swing ratio."""
        ratio = next_swing(self.config.swing, self.config.swing_auto)
        if ratio is None:
            self._change(SetSwing(None), swing_auto=True)
            return "swing auto (the players' at this tempo)"
        return self._change(SetSwing(ratio), swing=ratio, swing_auto=False)

    def nudge_intensity(self, delta: float) -> str:
        """[ and ]: the dynamic range of the players' feel -+0.1."""
        value = round(clamp(self.config.intensity + delta, INTENSITY_RANGE), 2)
        return self._change(SetIntensity(value), intensity=value)

    def cycle_mode(self) -> str:
        """m: solo -> trade -> answer."""
        mode = next_mode(self.config.mode)
        return self._change(SetMode(mode), mode=mode)  # type: ignore[arg-type]

    def cycle_answer_style(self) -> str:
        """a: auto -> echo -> develop -> contrast (from the next call)."""
        style = next_answer_style(self.config.answer_style)
        return self._change(SetAnswerStyle(style), answer_style=style)  # type: ignore[arg-type]

    def set_progression(self, progression: Progression) -> str:
        """c (from the chord editor): new chords from the next bar."""
        self._change(SetProgression(progression), progression=progression)
        return f"new chords: {progression.n_bars} bars"

    def reset_model(self) -> str:
        """r: a fresh LSTM state."""
        self.submit(ResetModel())
        return "model state reset"

    def panic(self) -> str:
        """p: all notes off."""
        self.submit(Panic())
        return "panic: all notes off"

    def tap(self, now: float) -> str:
        """t: tap tempo; sets the tempo from the second tap on."""
        bpm = self.tap_tempo.tap(now)
        if bpm is None:
            return "tap again for tempo"
        return self.set_tempo(bpm)

