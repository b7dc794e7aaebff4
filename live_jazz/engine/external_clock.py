"""MIDI clock, both ways: follow a DAW's clock (``--sync external``) or be the master
(``--send-clock``). Pure: messages and times in, positions and tempi out; the engine does the
I/O and owns its tempo map.

MIDI clock is 24 ticks a beat. Start sets the song position to 0, Continue resumes from it,
Stop freezes it, and Song Position Pointer (in sixteenths, sent while stopped) moves it; a
follower begins to play on the first tick after Start or Continue, at that position.

The tempo is a least-squares line through the last ``window`` ticks' arrival times: one tick's
jitter (USB, scheduling) barely moves it, and a tempo change is followed within about a beat.
The line also gives the master's position at any instant, which ``tempo_to_follow`` turns into
the tempo that brings the engine's own beat onto the master's smoothly, without jumps.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Literal

import mido

from live_jazz.engine.config import TEMPO_RANGE

PPQN = 24
"""MIDI clock ticks a beat."""
TICKS_PER_SIXTEENTH = PPQN // 4
"""Song Position Pointer counts sixteenths."""
MAX_SONG_POSITION = 0x3FFF
"""Song Position Pointer is 14 bits."""
WINDOW_TICKS = 48
"""Ticks in the tempo fit: two beats."""
MIN_FIT_TICKS = 6
"""Ticks before a tempo is reported (a quarter beat)."""
GAP_SECONDS = 1.5 * 60.0 / TEMPO_RANGE[0] / PPQN
"""A pause between ticks longer than this (half again a tick at the slowest tempo) means the
master paused its clock: the fit starts over rather than average across the gap."""
MAX_TICK_RATE = 1.1 * TEMPO_RANGE[1] / 60.0 * PPQN
"""Ticks a second taken at most: what the fastest tempo needs, and a tenth more for jitter.
A master (or a flood) sending faster has the surplus dropped: it cannot drag the engine."""
TICK_BURST = float(2 * PPQN)
"""Ticks that may come early together before any is dropped: two beats' worth, so that a master
that was held up and catches up in a burst (a loaded machine, a USB hub) loses none; only a
clock faster than ``MAX_TICK_RATE`` for longer than that is thinned."""

TransportKind = Literal["start", "continue", "stop", "position"]


@dataclass(frozen=True)
class TransportEvent:
    """The master started, continued, stopped or moved."""

    kind: TransportKind
    """start (from the top), continue (from ``beat``), stop, or position (a Song Position
    Pointer while stopped)."""
    beat: float
    """The master's position in beats from the top of the song: where playing starts, stopped,
    or will resume."""
    time: float
    """Clock seconds: of the first tick for start/continue (the instant ``beat`` sounds), of
    the message otherwise."""


class ClockFollower:
    """Follows a MIDI clock master: ``feed`` it every clock/transport message with its arrival
    time; read ``running``, ``bpm``, ``beat_at`` and ``tempo_to_follow``."""

    def __init__(self, window: int = WINDOW_TICKS) -> None:
        if window < MIN_FIT_TICKS:
            raise ValueError(f"window must be at least {MIN_FIT_TICKS} ticks")
        self._ticks: deque[tuple[int, float]] = deque(maxlen=window)
        """(tick count, arrival time) of the latest ticks: the tempo fit's points."""
        self._count = 0
        """Ticks received since the fit started (running or not: a stopped master's clock
        still tells the tempo)."""
        self.running = False
        """Whether the master is playing."""
        self._pending: TransportKind | None = None
        """start/continue received; playing begins on the next tick."""
        self._next_position = 0
        """Song position (ticks) of the next tick that plays."""
        self._last_position = 0
        """Song position (ticks) of the last tick that played."""
        self._fit: tuple[float, float] | None = None
        """(seconds a tick, fitted time of the last tick), computed when first asked for."""
        self._fit_stale = False
        self._allowance = TICK_BURST
        """Ticks that may be taken now (a token bucket filled at ``MAX_TICK_RATE``)."""
        self._allowed_at: float | None = None
        self.dropped = 0
        """Ticks dropped for coming faster than ``MAX_TICK_RATE``."""

    # -- input ---------------------------------------------------------------------------------

    def feed(self, message: mido.Message, time: float) -> TransportEvent | None:
        """Take one message that arrived at ``time`` (clock seconds); other types are ignored.
        Returns what changed for the transport, if anything."""
        kind = message.type
        if kind == "clock":
            return self._tick(time)
        if kind == "start":
            self._pending, self._next_position = "start", 0
        elif kind == "continue":
            self._pending = "continue"
        elif kind == "stop":
            self._pending = None
            if self.running:
                self.running = False
                return TransportEvent("stop", self._next_position / PPQN, time)
        elif kind == "songpos":
            self._next_position = message.pos * TICKS_PER_SIXTEENTH
            return TransportEvent("position", self._next_position / PPQN, time)
        return None

    def _tick(self, time: float) -> TransportEvent | None:
        if not self._allow_tick(time):
            self.dropped += 1
            return None
        if self._ticks and time - self._ticks[-1][1] > GAP_SECONDS:
            self._ticks.clear()
            self._count = 0
        self._ticks.append((self._count, time))
        self._count += 1
        self._fit_stale = True
        event = None
        if self._pending is not None:
            event = TransportEvent(self._pending, self._next_position / PPQN, time)
            self._pending = None
            self.running = True
        if self.running:
            self._last_position = self._next_position
            self._next_position += 1
        return event

    def _allow_tick(self, time: float) -> bool:
        """Whether a tick at ``time`` is within ``MAX_TICK_RATE`` (with a ``TICK_BURST``)."""
        if self._allowed_at is not None:
            earned = max(0.0, time - self._allowed_at) * MAX_TICK_RATE
            self._allowance = min(TICK_BURST, self._allowance + earned)
        self._allowed_at = time
        if self._allowance < 1.0:
            return False
        self._allowance -= 1.0
        return True

    def _line(self) -> tuple[float, float] | None:
        if self._fit_stale:
            self._fit = self._fit_line()
            self._fit_stale = False
        return self._fit

    def _fit_line(self) -> tuple[float, float] | None:
        n = len(self._ticks)
        if n < MIN_FIT_TICKS:
            return None
        mean_x = sum(x for x, _ in self._ticks) / n
        mean_t = sum(t for _, t in self._ticks) / n
        sxx = sum((x - mean_x) ** 2 for x, _ in self._ticks)
        sxt = sum((x - mean_x) * (t - mean_t) for x, t in self._ticks)
        slope = sxt / sxx
        if slope <= 0:
            return None
        last_x = self._ticks[-1][0]
        return slope, mean_t + slope * (last_x - mean_x)

    # -- output --------------------------------------------------------------------------------

    @property
    def bpm(self) -> float | None:
        """The master's tempo, smoothed; None until a few ticks have come."""
        line = self._line()
        if line is None:
            return None
        return 60.0 / (line[0] * PPQN)

    @property
    def position(self) -> float:
        """Song position in beats: of the last tick while running, else where it will resume."""
        return (self._last_position if self.running else self._next_position) / PPQN

    def beat_at(self, time: float) -> float:
        """The master's position at ``time``: extrapolated along the tempo fit while running
        (so a late or early tick does not make it jump), frozen while stopped."""
        line = self._line()
        if not self.running or line is None:
            return self.position
        seconds_per_tick, last_tick_time = line
        return (self._last_position + (time - last_tick_time) / seconds_per_tick) / PPQN

    def tempo_to_follow(self, local_beat: float, time: float, catch_up_beats: float = 1.0
                        ) -> float | None:
        """The tempo at which a player now at ``local_beat`` (at ``time``) lands on the
        master's position ``catch_up_beats`` from now: the master's tempo, nudged by the phase
        error, within half to double it and ``TEMPO_RANGE``. None while there is no tempo yet.

        For a large error (after Song Position Pointer, or a late start) the engine should
        move its position rather than race to catch up."""
        bpm = self.bpm
        if bpm is None:
            return None
        error = self.beat_at(time) - local_beat
        factor = min(2.0, max(0.5, (catch_up_beats + error) / catch_up_beats))
        low, high = TEMPO_RANGE
        return min(high, max(low, bpm * factor))


class ClockSender:
    """What ``--send-clock`` sends, in beats: Start (or Song Position Pointer + Continue), 24
    clock ticks a beat, Stop. The engine turns beats into times with its tempo map when it
    dispatches, so a tempo change moves the ticks with the notes."""

    def __init__(self) -> None:
        self._next_tick: int | None = None
        """Index (beats * 24) of the next tick to send; None while stopped."""

    @property
    def running(self) -> bool:
        return self._next_tick is not None

    def start(self, beat: float) -> list[tuple[float, mido.Message]]:
        """Start the clock at ``beat`` (from the top if 0): (beat, message) to send, in order,
        before the first tick. A position between sixteenths starts on the next sixteenth
        (Song Position Pointer cannot say less)."""
        sixteenth = min(MAX_SONG_POSITION, math.ceil(beat * 4 - 1e-9))
        first = sixteenth / 4
        self._next_tick = sixteenth * TICKS_PER_SIXTEENTH
        if sixteenth == 0:
            return [(first, mido.Message("start"))]
        return [(first, mido.Message("songpos", pos=sixteenth)), (first, mido.Message("continue"))]

    def ticks_until(self, beat: float) -> list[tuple[float, mido.Message]]:
        """The clock ticks due before ``beat`` that were not handed out yet."""
        if self._next_tick is None:
            return []
        ticks = []
        while self._next_tick / PPQN < beat:
            ticks.append((self._next_tick / PPQN, mido.Message("clock")))
            self._next_tick += 1
        return ticks

    def stop(self) -> mido.Message:
        """Stop the clock: the message to send now."""
        self._next_tick = None
        return mido.Message("stop")
