"""Sample-accurate rendering of timed messages: the clock time of each block's first sample
(``BlockClock``) and the queue of ``(time, message)`` rendered at their sample
(``EventTimeline``).

A block asked for by the audio device at clock time ``now`` covers the last stretch of clock time
``[now - duration, now)``: every message sent in it has arrived, and each is played at its own
sample, so the voice follows the engine's times exactly, one buffer later. The block clock follows
the device's callbacks, not the other way round: it keeps to the earliest of them (a callback
that comes early would otherwise find messages not yet sent) and slews slowly to the audio
clock's drift.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import mido
import numpy as np

from live_jazz.synth.voice import Voice

RESYNC_SECONDS = 0.050
"""A callback this far off the block clock (a device stall, an xrun): start the clock afresh."""
EARLY_GAIN, LATE_GAIN = 0.5, 0.002
"""How far the block clock moves toward a callback that came early / late (per callback)."""


class BlockClock:
    """The clock time of the first sample of each block the device asks for."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._next: float | None = None
        self.resyncs = 0
        """Times the clock started afresh (the first block included)."""

    def block(self, now: float, frames: int) -> float:
        """Start time of a block of ``frames`` asked for at clock time ``now``."""
        duration = frames / self.sample_rate
        ideal = now - duration
        if self._next is None or abs(ideal - self._next) > RESYNC_SECONDS:
            self._next = ideal
            self.resyncs += 1
        else:
            error = ideal - self._next
            self._next += error * (EARLY_GAIN if error < 0 else LATE_GAIN)
        start = self._next
        self._next = start + duration
        return start


@dataclass(frozen=True)
class Placed:
    """Where a message was played (benchmarks, tests)."""

    time: float
    """Its clock time, as queued."""
    message: mido.Message
    """The message."""
    sample: int
    """The sample it was played at, counted from the first block rendered."""


class EventTimeline:
    """Timed messages in (any thread), rendered at their sample by one rendering thread.

    ``push`` only appends to a deque (atomic in CPython: no lock shared with the audio thread).
    A message whose time is before the block (it came late) plays at the block's first sample.
    """

    def __init__(self, voice: Voice, keep_placed: bool = False) -> None:
        self.voice = voice
        self._pending: deque[tuple[float, mido.Message]] = deque()
        self.rendered = 0
        """Samples rendered so far."""
        self.late = 0
        """Messages that came after their block was rendered (played at the next block's start)."""
        self.placed: list[Placed] | None = [] if keep_placed else None

    def push(self, time: float, message: mido.Message) -> None:
        """Queue ``message`` to sound at clock time ``time`` (in time order per sender)."""
        self._pending.append((time, message))

    @property
    def pending(self) -> int:
        """Messages queued and not yet played."""
        return len(self._pending)

    def render(self, start: float, frames: int) -> np.ndarray:
        """The block of ``frames`` samples whose first sample sounds at clock time ``start``:
        int16 interleaved stereo, every message due before its end played at its sample."""
        rate = self.voice.sample_rate
        end = start + frames / rate
        parts = []
        position = 0
        pending = self._pending
        while pending and pending[0][0] < end:
            time, message = pending.popleft()
            offset = round((time - start) * rate)
            if offset < 0:
                self.late += 1
            offset = min(frames, max(position, offset))
            if offset > position:
                parts.append(self.voice.render(offset - position))
                position = offset
            self.voice.apply(message)
            if self.placed is not None:
                self.placed.append(Placed(time, message, self.rendered + offset))
        parts.append(self.voice.render(frames - position))
        self.rendered += frames
        return parts[0] if len(parts) == 1 else np.concatenate(parts)
