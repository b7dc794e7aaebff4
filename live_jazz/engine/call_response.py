"""Turn-taking between the human and the improviser, in straight session ticks.

- ``TradeTurns``: trading N bars. From the bar line where trading starts, the human plays N
  bars (the improviser listens), then the improviser answers N bars, and so on.
- ``CallDetector``: answering calls. A call starts with the human's first note; it ends when
  no key is down and nothing new has started for the silence (one beat by default). The answer
  lasts as long as the call, rounded up to whole bars, and starts on the first bar line at or
  after the end of the call -- when the silence runs out exactly on a bar line, on that bar
  line, not a bar later.

Both are pure bookkeeping: the engine tells them what it heard and asks what to do next.
The engine decides a little before the bar line (see ``turns.Turns``), so the answer can be primed
and sampled in time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from live_jazz.engine.events import Turn
from live_jazz.music.form import next_line


@dataclass(frozen=True)
class Answer:
    """An answer to play: the call it answers and where it sounds (session ticks)."""

    call_start: int
    """Where the call began (a bar line in trade mode, the first note's tick in answer mode)."""
    call_end: int
    """Where the call ended."""
    start: int
    """Bar line the answer starts on."""
    end: int
    """Bar line it ends on."""


class TradeTurns:
    """Trading ``bars`` bars each, the human first, from the bar line ``origin``."""

    def __init__(self, origin: int, bars: int, bar_ticks: int) -> None:
        self.origin = origin
        self.turn_ticks = bars * bar_ticks

    def turn_at(self, tick: float) -> Turn:
        """Who plays at ``tick``."""
        if tick < self.origin:
            return "listening"
        return "listening" if (tick - self.origin) // self.turn_ticks % 2 == 0 else "answering"

    def next_change(self, tick: float) -> int:
        """The first turn boundary strictly after ``tick``."""
        turns = max(0, math.floor((tick - self.origin) / self.turn_ticks) + 1)
        return self.origin + turns * self.turn_ticks

    def answer_at(self, start: int) -> Answer:
        """The answer that starts at turn boundary ``start`` (an answering turn)."""
        return Answer(start - self.turn_ticks, start, start, start + self.turn_ticks)


class CallDetector:
    """Finds the end of each call and where its answer goes."""

    def __init__(self, silence_ticks: float, bar_ticks: int, origin: int) -> None:
        self.silence_ticks = silence_ticks
        self.bar_ticks = bar_ticks
        self.origin = origin
        """A bar line: bar lines fall at ``origin + k * bar_ticks``."""
        self.call_start: float | None = None
        self.last_activity: float | None = None
        self.answering_until: int | None = None

    def turn_at(self, tick: float) -> Turn:
        """Answering from the answer's start to its end, else listening."""
        if self.answering_until is not None and tick < self.answering_until:
            return "answering"
        return "listening"

    def press(self, tick: float) -> None:
        """A key went down at ``tick``. During an answer it is only heard, not a call."""
        if self.turn_at(tick) == "answering":
            return
        if self.call_start is None:
            self.call_start = tick
        self.last_activity = max(tick, self.last_activity or tick)

    def release(self, tick: float) -> None:
        """A key came up at ``tick``."""
        if self.call_start is not None:
            self.last_activity = max(tick, self.last_activity or tick)

    def silence_end(self) -> float | None:
        """The tick at which the call in progress ends if nothing more is played."""
        if self.call_start is None or self.last_activity is None:
            return None
        return self.last_activity + self.silence_ticks

    def poll(self, tick: float, keys_down: int) -> Answer | None:
        """The answer, if the call has ended by ``tick`` (the engine polls slightly before
        the silence runs out, to have the answer ready)."""
        end = self.silence_end()
        if end is None or keys_down or tick < end:
            return None
        assert self.call_start is not None and self.last_activity is not None
        call_start, call_end = self.call_start, self.last_activity
        bars = max(1, (next_line(call_end, self.bar_ticks, call_start) - call_start)
                   // self.bar_ticks)
        start = next_line(end, self.bar_ticks, self.origin)
        self.call_start = self.last_activity = None
        answer = Answer(math.floor(call_start), math.ceil(call_end), start,
                        start + bars * self.bar_ticks)
        self.answering_until = answer.end
        return answer


@dataclass(frozen=True)
class Span:
    """Where the improviser plays: from ``start`` to ``end`` (session ticks), answering
    ``answer`` (None in solo mode)."""

    start: int
    end: float
    answer: Answer | None = None
