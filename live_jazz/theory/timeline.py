"""Chords laid out in time: which chord sounds at an integer tick, and when it next changes."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Protocol

from live_jazz.theory.chords import Chord


class ChordSource(Protocol):
    """Anything that says which chord sounds at a tick: a ``ChordTimeline``, or the engine's
    form of a session whose progression changed along the way."""

    def chord_at(self, tick: int) -> Chord:
        """The chord sounding at ``tick``."""
        ...


@dataclass(frozen=True)
class ChordTimeline:
    """Which chord sounds at each tick. Ticks are integers (the caller picks ticks per beat).

    Ticks before 0 (a count-in) sound the first chord, looping or not: the form starts at 0.
    """

    changes: tuple[tuple[int, Chord], ...]
    """(start_tick, chord) pairs, sorted by strictly increasing start; the first starts at 0."""
    loop_ticks: int | None = None
    """If set, the timeline repeats with this period (longer than the last change's start)."""
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.changes:
            raise ValueError("a chord timeline needs at least one change")
        starts = tuple(start for start, _ in self.changes)
        if starts[0] != 0:
            raise ValueError(f"the first chord must start at tick 0, not {starts[0]}")
        if any(later <= earlier for earlier, later in zip(starts, starts[1:], strict=False)):
            raise ValueError(f"chord starts must strictly increase: {starts}")
        if self.loop_ticks is not None and self.loop_ticks <= starts[-1]:
            raise ValueError(
                f"loop_ticks {self.loop_ticks} must be after the last change at {starts[-1]}"
            )
        # A frozen dataclass can still cache derived data through object.__setattr__.
        object.__setattr__(self, "_starts", starts)

    def chord_at(self, tick: int) -> Chord:
        """Return the chord sounding at `tick` (the first chord before 0; wraps if looping)."""
        if tick < 0:
            return self.changes[0][1]
        if self.loop_ticks is not None:
            tick %= self.loop_ticks
        return self.changes[bisect_right(self._starts, tick) - 1][1]

    def next_change_after(self, tick: int) -> tuple[int, Chord] | None:
        """Return (absolute start tick, chord) of the next change strictly after `tick`.

        When looping, the restart of the form counts as a change (even back to the same
        chord), so there always is a next one; without a loop, None after the last change.
        """
        if tick < 0:
            return 0, self.changes[0][1]
        if self.loop_ticks is None:
            index = bisect_right(self._starts, tick)
            return self.changes[index] if index < len(self.changes) else None
        loop_start = tick - tick % self.loop_ticks
        index = bisect_right(self._starts, tick - loop_start)
        if index < len(self.changes):
            start, chord = self.changes[index]
            return loop_start + start, chord
        return loop_start + self.loop_ticks, self.changes[0][1]
