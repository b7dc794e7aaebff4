"""Where a line is in its phrase: the running state the ``phrase`` and ``contour`` feature
groups read (``encoding.features``).

A phrase runs from the end of a rest to the next rest (a rest value: a silence of at least
half a beat; shorter silences are a note's articulation, not a breath). The context counts the
ticks and notes since the phrase began, remembers how long the breath before it was, the
highest and lowest pitch of the phrase so far and the direction of its last two intervals.
Players build phrases this way (a long line, a breath, a short answer, a peak and a way down);
without it the model knows where the beat is but not where it is in a phrase.

``advance`` is the only way the context moves, one value at a time, in training (``line``),
in ``generate`` and in the live engine (``Improviser``): both see the same numbers. It mutates
in place and allocates nothing; ``copy`` is for snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from live_jazz.encoding.values import COUNT_IN


@dataclass(slots=True)
class PhraseContext:
    """The phrase so far, before the next value (a fresh one: a phrase about to start after
    the count-in)."""

    since_rest: int = 0
    """Ticks from the end of the last rest to here."""
    notes: int = 0
    """Notes played since the last rest."""
    last_rest: int = 0
    """Ticks of the last rest (consecutive rest values count as one)."""
    peak: int | None = None
    """Highest pitch of the phrase so far (None before its first note)."""
    low: int | None = None
    """Lowest pitch of the phrase so far."""
    last: int | None = None
    """The phrase's last pitch."""
    direction: int = 0
    """Sign of the phrase's last interval (-1, 0, 1; 0 also before its second note)."""
    direction_before: int = 0
    """Sign of the interval before that."""

    def advance(self, duration: int, pitch: int | None) -> None:
        """Value of ``duration`` ticks was played: a note of ``pitch``, or a rest (None)."""
        if pitch is None:
            self.last_rest = self.last_rest + duration if self.notes == 0 else duration
            self.since_rest = self.notes = 0
            self.peak = self.low = self.last = None
            self.direction = self.direction_before = 0
            return
        self.since_rest += duration
        self.notes += 1
        if self.last is not None:
            self.direction_before = self.direction
            self.direction = (pitch > self.last) - (pitch < self.last)
        self.peak = pitch if self.peak is None else max(self.peak, pitch)
        self.low = pitch if self.low is None else min(self.low, pitch)
        self.last = pitch

    @classmethod
    def after_count_in(cls) -> PhraseContext:
        """Where every solo starts: after the count-in rest (the sampler's first pending
        value; training's first row)."""
        return cls(last_rest=COUNT_IN.duration)

    def copy(self) -> PhraseContext:
        """An independent copy (for a snapshot)."""
        return replace(self)

    def restore(self, other: PhraseContext) -> None:
        """Become ``other`` (copied in place)."""
        for name in self.__slots__:
            setattr(self, name, getattr(other, name))
