"""The baseline of ``bench music``: a first-order Markov chain over intervals, fitted on the
training solos.

Pitch: each interval (clipped to an octave) is drawn given the one before, from the training
solos' transition counts (add-one smoothed); the first pitch is drawn from their pitches, and
an interval that would leave their register (1st to 99th percentile) is turned around. Rhythm:
(inter-onset interval, length) pairs drawn independently from the training solos' notes. It
knows neither the chords nor the bar: what the model should beat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from live_jazz.bench.melody import INTERVAL_CLIP, MeteredSolo, intervals
from live_jazz.encoding import Note

N_INTERVALS = 2 * INTERVAL_CLIP + 1
MAX_IOI = 8 * 12
"""Longer gaps between two training notes (the end of a phrase, a chorus) are not drawn."""


@dataclass(frozen=True)
class IntervalMarkov:
    """A fitted chain (``fit``), that plays over a solo's length (``play``)."""

    transitions: np.ndarray
    """(N_INTERVALS, N_INTERVALS) probabilities of the next interval given the previous one
    (index = interval + INTERVAL_CLIP)."""
    first_intervals: np.ndarray
    """Probabilities of a solo's first interval."""
    pitches: np.ndarray
    """The training pitches (the first pitch is drawn from them)."""
    register: tuple[int, int]
    """Lowest and highest pitch played."""
    rhythm: np.ndarray
    """(n, 2) training (inter-onset interval, length) pairs, in ticks."""

    @classmethod
    def fit(cls, solos: Sequence[MeteredSolo]) -> IntervalMarkov:
        """Count intervals, pitches and rhythms of ``solos`` (at least one with two notes)."""
        counts = np.ones((N_INTERVALS, N_INTERVALS))
        first = np.ones(N_INTERVALS)
        pitches, rhythm = [], []
        for solo in solos:
            notes = solo.notes
            pitches += [n.pitch for n in notes]
            steps = intervals(notes) + INTERVAL_CLIP
            if len(steps):
                first[steps[0]] += 1
                np.add.at(counts, (steps[:-1], steps[1:]), 1)
            for note, after in zip(notes, notes[1:], strict=False):
                gap = after.onset - note.onset
                if 0 < gap <= MAX_IOI:
                    rhythm.append((gap, min(note.duration, gap)))
        if not rhythm:
            raise ValueError("the Markov baseline needs training solos with notes")
        low, high = np.percentile(pitches, [1, 99])
        return cls(counts / counts.sum(axis=1, keepdims=True), first / first.sum(),
                   np.array(pitches), (int(low), int(high)), np.array(rhythm))

    def play(self, solo: MeteredSolo, rng: np.random.Generator) -> tuple[Note, ...]:
        """Notes over the length of ``solo`` (its chords and meter unused), from tick 0."""
        end = solo.n_bars * solo.bar_ticks
        low, high = self.register
        pitch = int(rng.choice(self.pitches))
        step = None
        notes = []
        tick = 0
        while tick < end:
            gap, length = self.rhythm[rng.integers(len(self.rhythm))]
            notes.append(Note(tick, int(min(length, end - tick)), pitch))
            weights = self.first_intervals if step is None else self.transitions[step]
            step = int(rng.choice(N_INTERVALS, p=weights))
            interval = step - INTERVAL_CLIP
            if not low <= pitch + interval <= high:
                interval = -interval
                step = interval + INTERVAL_CLIP
            pitch = int(np.clip(pitch + interval, low, high))
            tick += int(gap)
        return tuple(notes)
