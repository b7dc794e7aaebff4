"""The jazz "values": one token per time step, chord-relative so a solo can be replayed in any key.

A note value carries three things, in the spirit of the original exercise's
``C,0.250,<M2,P-4>`` tokens:

- its harmonic ``role`` against the chord sounding at its onset (chord tone, scale tone,
  chromatic approach, outside);
- its melodic ``motion``: the interval from the previous note, exact for small steps and
  binned for leaps;
- its ``duration`` in ticks of a grid that holds both sixteenths and triplets.

A rest value carries only a duration. Swing is not in the values: it is a playback setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

TICKS_PER_BEAT = 12
"""Grid resolution: 12 ticks a beat holds sixteenths (3), eighth triplets (4) and sixteenth
triplets (2)."""

DURATIONS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 18, 24, 36, 48)
"""Durations a value may take, in ticks: 1/12 beat up to a whole 4/4 bar. Longer spans are
split (rests) or cut (notes). 5, 7 and 10 are there because performed lines mix triplets and
sixteenths (a triplet eighth to the next sixteenth is 5 ticks); without them such notes would
leave 1-tick rests all over the corpus."""

MAX_DURATION = DURATIONS[-1]


class Role(str, Enum):
    """A note's harmonic role against the chord sounding at its onset."""

    CHORD = "C"
    """One of the chord's tones (written extensions included)."""
    SCALE = "S"
    """In the chord scale but not a chord tone. Under NC (no chord) every note is SCALE."""
    APPROACH = "A"
    """Outside the scale, a half step from a chord tone (a chromatic approach)."""
    OUTSIDE = "X"
    """Anything else."""


@dataclass(frozen=True)
class Motion:
    """An interval class from the previous note: semitones in ``[low, high]``, signed by
    ``direction`` (+1 up, -1 down, 0 for a repeat). ``START`` means no previous note."""

    name: str
    direction: int
    low: int
    high: int

    def contains(self, interval: int) -> bool:
        """Whether a signed interval in semitones falls in this class."""
        if self.direction == 0:
            return interval == 0
        size = interval * self.direction
        return self.low <= size <= self.high

    @property
    def pins_pitch(self) -> bool:
        """Whether the class holds exactly one interval (the pitch follows from the last one)."""
        return self.direction == 0 or self.low == self.high


def _motions() -> tuple[Motion, ...]:
    # Steps, thirds and fourths (the bulk of a line) are exact, so the interval profile that
    # sounds is the one the model learned; wider leaps are binned by size and the decoder
    # chooses the pitch in the bin that has the value's role over the chord.
    bins = ((1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 7), (8, 12), (13, 24))
    down = [Motion(f"-{lo}" if lo == hi else f"-{lo}..{hi}", -1, lo, hi) for lo, hi in bins]
    up = [Motion(f"+{lo}" if lo == hi else f"+{lo}..{hi}", 1, lo, hi) for lo, hi in bins]
    return (*reversed(down), Motion("0", 0, 0, 0), *up)


MOTIONS: tuple[Motion, ...] = _motions()
"""Interval classes ordered from the largest leap down to the largest leap up."""

START = Motion("start", 0, 0, 0)
"""The first note of a phrase with no note before it."""

_MOTION_BY_NAME = {m.name: m for m in (*MOTIONS, START)}


def motion_of(interval: int | None) -> Motion:
    """The motion class of a signed interval (``None``: no previous note)."""
    if interval is None:
        return START
    for motion in MOTIONS:
        if motion.contains(interval):
            return motion
    # Leaps beyond two octaves are folded into the widest class of their direction.
    return MOTIONS[0] if interval < 0 else MOTIONS[-1]


def motion_distance(a: Motion, b: Motion) -> int:
    """Steps between two motion classes along MOTIONS; START is 4 away from everything."""
    if a == b:
        return 0
    if START in (a, b):
        return 4
    return abs(MOTIONS.index(a) - MOTIONS.index(b))


@dataclass(frozen=True)
class Value:
    """One time step: a note (``role`` and ``motion`` set) or a rest (both ``None``)."""

    duration: int
    """Length in ticks; one of DURATIONS."""
    role: Role | None = None
    """Harmonic role of the note; None for a rest."""
    motion: Motion | None = None
    """Interval class from the previous note; None for a rest."""

    def __post_init__(self) -> None:
        if self.duration not in DURATIONS:
            raise ValueError(f"duration {self.duration} ticks is not on the value grid")
        if (self.role is None) != (self.motion is None):
            raise ValueError("a value is either a note (role and motion) or a rest (neither)")

    @property
    def is_rest(self) -> bool:
        """True for a rest."""
        return self.role is None

    @property
    def token(self) -> str:
        """Text form, e.g. ``C:+2:6`` (chord tone, whole step up, an eighth) or ``R:12``."""
        if self.role is None or self.motion is None:
            return f"R:{self.duration}"
        return f"{self.role.value}:{self.motion.name}:{self.duration}"

    @classmethod
    def from_token(cls, token: str) -> Value:
        """Parse the text form made by ``token``."""
        parts = token.split(":")
        try:
            if parts[0] == "R" and len(parts) == 2:
                return cls(int(parts[1]))
            if len(parts) == 3:
                return cls(int(parts[2]), Role(parts[0]), _MOTION_BY_NAME[parts[1]])
        except (KeyError, ValueError) as error:
            raise ValueError(f"bad value token {token!r}") from error
        raise ValueError(f"bad value token {token!r}")


COUNT_IN = Value(MAX_DURATION)
"""What every solo starts from: a bar of silence. Training puts it before each solo and the
sampler observes it after a reset, so the first real value is predicted like any other."""


def split_duration(ticks: int) -> list[int]:
    """Greedy split of a span into grid durations, longest first (exact: 1 is on the grid)."""
    parts = []
    while ticks > 0:
        part = max(d for d in DURATIONS if d <= ticks)
        parts.append(part)
        ticks -= part
    return parts
