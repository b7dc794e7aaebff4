"""Time: one monotonic clock, injected, and a tempo map from beats to seconds.

Every event time is computed absolutely from the tempo map (beats since the start -> seconds on
the clock), never as "sleep since the last tick", so nothing drifts. A tempo change is a new
segment of the map starting where the old one is now: the beat position is continuous.

The clock is injected (isobar's clock source / clock target split): ``SystemClock`` for the
instrument, ``FakeClock`` for tests that run the engine in beat time, deterministically.
"""

from __future__ import annotations

import bisect
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from live_jazz.midi_io.jack_server import query_server, timing_priority

log = logging.getLogger(__name__)

REALTIME_PRIORITY = 20
"""SCHED_FIFO priority of the timing thread where allowed and no JACK server runs: above
ordinary threads. With a JACK server it takes less (``midi_io.jack_server``)."""

SPIN_SECONDS = 0.0015
"""SystemClock sleeps until this long before a deadline, then spins (yielding) to it."""


class Clock(Protocol):
    """Monotonic seconds, and a sleep that can be woken early."""

    def now(self) -> float:
        """Seconds on a monotonic clock."""

    def sleep_until(self, deadline: float, wake: threading.Event | None = None) -> bool:
        """Sleep until ``deadline`` (clock seconds) or until ``wake`` is set, whichever comes
        first. Returns True if woken by ``wake`` (which it clears), False at the deadline."""


class SystemClock:
    """``time.perf_counter``; sleeps on an Event to just before the deadline, then spins."""

    def __init__(self, spin: float = SPIN_SECONDS) -> None:
        self.spin = spin

    def now(self) -> float:
        return time.perf_counter()

    def sleep_until(self, deadline: float, wake: threading.Event | None = None) -> bool:
        event = wake if wake is not None else threading.Event()
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= self.spin:
                break
            if event.wait(remaining - self.spin):
                event.clear()
                return True
        # The last stretch: spin, but let other threads run (sleep(0) releases the GIL), so a
        # busy thread cannot hold the GIL across the deadline for a whole switch interval.
        while time.perf_counter() < deadline:
            if wake is not None and wake.is_set():
                wake.clear()
                return True
            time.sleep(0)
        return False


class FakeClock:
    """A clock that moves only when told (tests): ``sleep_until`` jumps straight to the
    deadline unless ``wake`` is already set."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        with self._lock:
            self._now += seconds

    def set(self, now: float) -> None:
        """Move time forward to ``now`` (never backwards)."""
        with self._lock:
            self._now = max(self._now, now)

    def sleep_until(self, deadline: float, wake: threading.Event | None = None) -> bool:
        if wake is not None and wake.is_set():
            wake.clear()
            return True
        self.set(deadline)
        return False


@dataclass(frozen=True)
class TempoSegment:
    """From clock second ``time`` (beat ``beat``) on, the tempo is ``bpm``."""

    time: float
    beat: float
    bpm: float

    @property
    def seconds_per_beat(self) -> float:
        return 60.0 / self.bpm


class TempoMap:
    """Beats <-> clock seconds, piecewise constant tempo, absolute from the start.

    Not thread-safe by itself: the engine changes it in one thread and hands copies out.
    """

    def __init__(self, start_time: float, bpm: float, start_beat: float = 0.0) -> None:
        if bpm <= 0:
            raise ValueError(f"tempo must be positive, got {bpm}")
        self.segments: list[TempoSegment] = [TempoSegment(start_time, start_beat, bpm)]
        self._times = [start_time]
        self._beats = [start_beat]

    @property
    def start_time(self) -> float:
        return self.segments[0].time

    @property
    def bpm(self) -> float:
        """The tempo of the last segment."""
        return self.segments[-1].bpm

    def bpm_at_beat(self, beat: float) -> float:
        return self._segment_for_beat(beat).bpm

    def _segment_for_beat(self, beat: float) -> TempoSegment:
        return self.segments[max(0, bisect.bisect_right(self._beats, beat) - 1)]

    def _segment_for_time(self, t: float) -> TempoSegment:
        return self.segments[max(0, bisect.bisect_right(self._times, t) - 1)]

    def time_at(self, beat: float) -> float:
        """Clock seconds of ``beat``."""
        seg = self._segment_for_beat(beat)
        return seg.time + (beat - seg.beat) * seg.seconds_per_beat

    def beat_at(self, t: float) -> float:
        """Beat position at clock second ``t``."""
        seg = self._segment_for_time(t)
        return seg.beat + (t - seg.time) / seg.seconds_per_beat

    def set_tempo(self, t: float, bpm: float) -> None:
        """From clock second ``t`` on (not before the last change), play at ``bpm``; the beat
        position at ``t`` is kept (no jump)."""
        if bpm <= 0:
            raise ValueError(f"tempo must be positive, got {bpm}")
        last = self.segments[-1]
        t = max(t, last.time)
        beat = self.beat_at(t)
        if t == last.time:
            self.segments[-1] = TempoSegment(t, last.beat, bpm)
            return
        self.segments.append(TempoSegment(t, beat, bpm))
        self._times.append(t)
        self._beats.append(beat)

    def jump(self, t: float, beat: float, bpm: float) -> None:
        """From clock second ``t`` (not before the last change) on, play on from ``beat``
        (not before the beat position at ``t``) at ``bpm``: the position moves forward, as
        when a transport that was stopped starts again where an external master says."""
        if bpm <= 0:
            raise ValueError(f"tempo must be positive, got {bpm}")
        last = self.segments[-1]
        t = max(t, last.time)
        beat = max(beat, self.beat_at(t))
        if t == last.time:
            self.segments[-1] = TempoSegment(t, beat, bpm)
            self._beats[-1] = beat
            return
        self.segments.append(TempoSegment(t, beat, bpm))
        self._times.append(t)
        self._beats.append(beat)

    def changes_in_beats(self) -> list[tuple[float, float]]:
        """(beat, bpm) of every segment: what a MIDI file's tempo track needs."""
        return [(seg.beat, seg.bpm) for seg in self.segments]


def realtime_priority(wanted: int = REALTIME_PRIORITY) -> str:
    """Ask the OS to run the calling thread before ordinary ones (SCHED_FIFO, as JACK's own
    threads run), so a busy machine cannot preempt it for a whole time slice -- but below a
    running JACK server's clients, and not at all against a JACK server without real-time (it
    would starve them: xruns, lost events). Returns what was taken, and why."""
    choice = timing_priority(wanted, query_server())
    if choice.priority is None:
        return f"normal priority ({choice.reason})"
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(choice.priority))
    except (AttributeError, OSError) as error:  # not Linux, or no permission (rtprio limit)
        log.debug("no real-time priority for the timing thread: %s", error)
        return "normal priority (real-time scheduling not permitted)"
    return f"real-time priority (SCHED_FIFO {choice.priority}, {choice.reason})"
