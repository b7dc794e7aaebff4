"""The call as material: what a player takes from a phrase to answer it.

A player answering a call rarely copies it; they take a piece of it and work with it: its
rhythmic cell (where in the bar its notes start), its intervals and contour, its register and
the note it ended on, how busy it was. ``extract_material`` reads those from the call's notes,
in pure functions on notes and ticks; ``answer_styles`` turns them into a plan for the answer.

Positions are ticks within the bar, counted from a bar line (``bar_origin``): a call that
starts on the "and" of one keeps that place, so an answer can echo it or displace it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from live_jazz.encoding import Note

INTERVAL_CLIP = 12
"""Intervals are counted up to an octave each way (wider leaps fold into +-12)."""


@dataclass(frozen=True)
class CallMaterial:
    """What an answer may take from a call (positions in ticks within the bar)."""

    bar_ticks: int
    """Ticks in a bar (48 in 4/4)."""
    bars: int
    """Bars the call spans, from the bar line at or before its first note to its last note."""
    cells: tuple[tuple[int, ...], ...]
    """The rhythmic cell of each bar of the call: the onset positions in that bar, in order
    (empty for a bar the player rested through)."""
    pitches: tuple[int, ...]
    """The line's pitches, in order (notes starting together: the highest)."""
    onsets: tuple[int, ...]
    """Each of those notes' position in its bar."""
    intervals: tuple[int, ...]
    """Semitones from each note to the next, clipped to an octave."""
    last_pitch: int
    """Where the call ended: the answer's line moves on from it."""

    @property
    def contour(self) -> tuple[int, ...]:
        """The direction of each interval: +1 up, -1 down, 0 repeated."""
        return tuple(int(np.sign(i)) for i in self.intervals)

    @property
    def mean_pitch(self) -> float:
        """The centre of the call's register."""
        return float(np.mean(self.pitches))

    @property
    def low(self) -> int:
        """Its lowest pitch."""
        return min(self.pitches)

    @property
    def high(self) -> int:
        """Its highest pitch."""
        return max(self.pitches)

    @property
    def density(self) -> float:
        """Notes a bar."""
        return len(self.pitches) / self.bars

    def onset_profile(self) -> np.ndarray:
        """How many of the call's notes start at each position of the bar (``bar_ticks``
        slots)."""
        return onset_profile(self.onsets, self.bar_ticks)

    def interval_histogram(self) -> np.ndarray:
        """Share of each interval, -12..+12 semitones (25 bins)."""
        return interval_histogram(self.intervals)

    def pairs(self) -> frozenset[tuple[int, int]]:
        """(pitch, position in the bar) of every note: what a copy would repeat."""
        return frozenset(zip(self.pitches, self.onsets, strict=True))


def melodic_line(notes: Iterable[Note]) -> list[Note]:
    """The notes as a line: in order of onset, the highest of notes that start together."""
    line: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.onset, -n.pitch)):
        if not line or line[-1].onset != note.onset:
            line.append(note)
    return line


def extract_material(notes: Iterable[Note], bar_origin: int, bar_ticks: int) -> CallMaterial | None:
    """The material of a call (None if it has no notes). ``bar_origin`` is any bar line
    (session ticks); bars are ``bar_ticks`` long."""
    if bar_ticks <= 0:
        raise ValueError(f"a bar must have ticks, got {bar_ticks}")
    line = melodic_line(notes)
    if not line:
        return None
    bar_index = [(n.onset - bar_origin) // bar_ticks for n in line]
    first, last = bar_index[0], bar_index[-1]
    onsets = tuple((n.onset - bar_origin) % bar_ticks for n in line)
    cells = tuple(tuple(pos for pos, bar in zip(onsets, bar_index, strict=True) if bar == b)
                  for b in range(first, last + 1))
    pitches = tuple(n.pitch for n in line)
    intervals = tuple(_clip(b - a) for a, b in zip(pitches, pitches[1:], strict=False))
    return CallMaterial(bar_ticks, last - first + 1, cells, pitches, onsets, intervals,
                        pitches[-1])


def onset_profile(positions: Iterable[int], bar_ticks: int) -> np.ndarray:
    """Count of onsets at each position of the bar (positions taken modulo the bar)."""
    profile = np.zeros(bar_ticks)
    for position in positions:
        profile[position % bar_ticks] += 1.0
    return profile


def interval_histogram(intervals: Sequence[int]) -> np.ndarray:
    """Share of each interval from -12 to +12 semitones (clipped); all zero without intervals."""
    counts = np.zeros(2 * INTERVAL_CLIP + 1)
    for interval in intervals:
        counts[_clip(int(interval)) + INTERVAL_CLIP] += 1.0
    total = counts.sum()
    return counts / total if total else counts


def _clip(interval: int) -> int:
    """An interval folded into +-INTERVAL_CLIP."""
    return max(-INTERVAL_CLIP, min(INTERVAL_CLIP, interval))


def copy_share(answer: Iterable[Note], call: CallMaterial, bar_origin: int) -> float:
    """Share of the answer's notes that repeat one of the call's exactly: the same pitch at the
    same position in the bar (0 for an answer without notes)."""
    line = melodic_line(answer)
    if not line:
        return 0.0
    pairs = call.pairs()
    repeats = sum((n.pitch, (n.onset - bar_origin) % call.bar_ticks) in pairs for n in line)
    return repeats / len(line)
