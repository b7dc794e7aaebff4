"""How loud each note is: performance rules that shape a line as players do.

The WJazzD CSVs carry no loudness, so the velocities follow performance rules, one
note at a time (the live path knows a note and those before it, never the next):

- phrase arch (KTH rule system, Friberg, Bresin & Sundberg 2006, "Overview of the KTH rule
  system for musical performance"; Todd 1992): louder toward the middle of a phrase, softer
  at its end (a phrase starts after a rest of a beat or more);
- high-loud (KTH): higher notes a little louder;
- duration contrast (KTH): long notes louder, short ones softer;
- accents (our choice, set by ear: jazz practice, not measured rules; the model card says
  so): a new top of the line reached by a skip up, a long syncopated note, the note after a
  leap;
- ghosted notes (our choice, swing eighth-line practice): a short off-beat passing tone (a
  step) inside an eighth-note run.

``intensity`` scales the whole shape (0: one level, 1: the rules as set, 2: twice as wide);
``level`` is where the shape sits (the improviser's velocity, or a heard call's). Velocities
stay within ``VELOCITY_RANGE``. Cheap per note: a few comparisons and one random number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

VELOCITY_RANGE = (20, 120)
"""No performed note is softer or louder than this."""
INTENSITY_RANGE = (0.0, 2.0)


@dataclass(frozen=True)
class DynamicsRules:
    """The rules' sizes, in velocity steps (at intensity 1)."""

    arch: float = 8.0
    """Phrase arch: peak rise above the phrase's start and end."""
    arch_beats: float = 8.0
    """The arch's length: a phrase of this many beats peaks at 0.6 of it."""
    high_loud: float = 0.5
    """Per semitone above ``center`` (below: softer)."""
    center: int = 67
    """Where high-loud is zero (the middle of the register)."""
    long_note: float = 5.0
    """Duration contrast: a note of a beat or more."""
    short_note: float = -3.0
    """Duration contrast: a note of a quarter beat or less."""
    top_accent: float = 9.0
    """A new top of the phrase reached by a skip up (a third or more; a scale run's every
    step is not a top)."""
    syncopation_accent: float = 10.0
    """A note off the beat lasting a beat or more."""
    leap_accent: float = 6.0
    """The note after a leap of a fourth or more."""
    ghost: float = -16.0
    """A short off-beat step inside an eighth-note run."""
    jitter: float = 2.0
    """Standard deviation of a player's unevenness."""


RULES = DynamicsRules()


class Normals(Protocol):
    """Where the unevenness is drawn from (``performer.Draws``)."""

    def normal(self) -> float:
        """One standard normal number."""
        ...


class Dynamics:
    """A line's velocities, note by note (see the module docstring)."""

    def __init__(self, draws: Normals, rules: DynamicsRules = RULES) -> None:
        self.draws = draws
        self.rules = rules
        self.intensity = 1.0
        """Scales the shape (``INTENSITY_RANGE``)."""
        self._phrase_start = 0.0
        self._top: int | None = None
        self._prev: tuple[float, float, int] | None = None  # (onset, length, pitch) in beats

    def reset(self) -> None:
        """A new line: no phrase, no previous note."""
        self._prev = None
        self._top = None

    def velocity(self, onset: float, length: float, pitch: int, level: float,
                 starts_phrase: bool) -> int:
        """The velocity of a note at ``onset`` (beats, the bar line at a whole number of
        beats is not needed: only the place in the beat is read), ``length`` beats long, at
        ``level`` (the line's base velocity)."""
        rules = self.rules
        if starts_phrase or self._prev is None:
            self._phrase_start, self._top = onset, None
        shape = self._arch(onset - self._phrase_start)
        shape += rules.high_loud * (pitch - rules.center)
        shape += rules.long_note if length >= 1.0 else rules.short_note if length <= 0.25 \
            else 0.0
        shape += self._accents(onset, length, pitch)
        shape += rules.jitter * self.draws.normal()
        self._prev = (onset, length, pitch)
        self._top = pitch if self._top is None else max(self._top, pitch)
        low, high = VELOCITY_RANGE
        return int(min(high, max(low, round(level + self.intensity * shape))))

    def _arch(self, elapsed: float) -> float:
        x = elapsed / self.rules.arch_beats
        return self.rules.arch * max(-1.0, math.sin(math.pi * min(x / 1.2, 1.5)) - 0.3)

    def _accents(self, onset: float, length: float, pitch: int) -> float:
        rules, prev = self.rules, self._prev
        off_beat = not math.isclose(onset % 1.0, 0.0, abs_tol=1e-6) and \
            not math.isclose(onset % 1.0, 1.0, abs_tol=1e-6)
        accent = rules.syncopation_accent if off_beat and length >= 1.0 else 0.0
        if prev is None or starts_new(prev, onset):
            return accent
        step = pitch - prev[2]
        if abs(step) >= 5:
            accent += rules.leap_accent
        if self._top is not None and pitch > self._top and step >= 3:
            accent += rules.top_accent  # a new high of the phrase, reached by a skip
        in_run = onset - prev[0] <= 0.5 + 1e-6 and length <= 0.5 + 1e-6
        if in_run and off_beat and abs(step) <= 2 and accent == 0.0:
            accent += rules.ghost
        return accent


def starts_new(prev: tuple[float, float, int], onset: float) -> bool:
    """Whether a note at ``onset`` comes a beat or more after the end of ``prev``."""
    return onset - (prev[0] + prev[1]) >= 1.0
