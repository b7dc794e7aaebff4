"""What a solo line sounds like, in numbers: the figures ``live-jazz bench music`` compares
between real and generated solos.

Pure functions on a ``MeteredSolo`` (notes on the 12-ticks-a-beat grid, tick 0 on a bar line,
the chords and the meter under them). Histograms are counts over fixed bins; ``overlap`` of two
of them is the shared mass of their normalized forms (1: the same shape, 0: disjoint).

H1, H4 and GS follow the Jazz Transformer paper (Wu & Yang 2020, "The Jazz Transformer on the
Front Line", and its MusDr evaluation code): the pitch-class entropy (bits) of the note count
per pitch class in every window of 1 or 4 consecutive bars (windows without notes skipped),
averaged over the windows of a solo; the grooving-pattern similarity is 1 - XOR / Q between the
binary onset vectors (Q positions a bar: here the 12-a-beat grid) of every pair of bars of a
solo, averaged over the pairs (all of them: the paper samples 1,000 only to save time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.theory import Chord, ChordSource

PHRASE_BARS = 4
"""Bars in a phrase (the unit of the per-phrase figures and of the two-sample test)."""
INTERVAL_CLIP = 12
"""Intervals are clipped to an octave either way: 25 bins, -12..+12."""
IOI_CLIP = 4 * TICKS_PER_BEAT
"""Inter-onset intervals are counted tick by tick up to a 4/4 bar; longer ones share the last
bin."""
LEAP = 5
"""A leap: an interval of a fourth (5 half steps) or more, either way."""


@dataclass(frozen=True)
class MeteredSolo:
    """A solo with what a player knows about where it is: chords, meter, tempo."""

    name: str
    """Where it came from (for messages)."""
    tune: str
    """The tune it is played on: solos of one tune stay on one side of a cross-validation."""
    notes: tuple[Note, ...]
    """The line, sorted by onset, in ticks from the first bar line (tick 0 is a downbeat)."""
    chords: ChordSource
    """The chords under it, on the same ticks."""
    beats_per_bar: int
    """The meter (one meter for the whole solo)."""
    n_bars: int
    """Bars of the solo: every note starts before ``n_bars * bar_ticks``."""
    tempo: float
    """Beats per minute."""
    player: str = ""
    """Who played it (``bench music``'s floor pairs each solo with another player's)."""

    @property
    def bar_ticks(self) -> int:
        """Ticks in a bar."""
        return self.beats_per_bar * TICKS_PER_BEAT

    def with_notes(self, notes: Sequence[Note]) -> MeteredSolo:
        """The same tune, chords and meter played with other ``notes``."""
        return MeteredSolo(self.name, self.tune, tuple(sorted(notes, key=lambda n: n.onset)),
                           self.chords, self.beats_per_bar, self.n_bars, self.tempo,
                           self.player)


def histogram(values: Sequence[int] | np.ndarray, n_bins: int, offset: int = 0) -> np.ndarray:
    """Counts of ``values + offset`` in bins 0..n_bins-1 (values must fall inside)."""
    return np.bincount(np.asarray(values, dtype=np.int64) + offset, minlength=n_bins)[:n_bins]


def overlap(p: np.ndarray, q: np.ndarray) -> float:
    """Shared mass of two histograms once each sums to 1 (0 if either is empty)."""
    p_sum, q_sum = float(np.sum(p)), float(np.sum(q))
    if p_sum == 0 or q_sum == 0:
        return 0.0
    return float(np.minimum(np.asarray(p) / p_sum, np.asarray(q) / q_sum).sum())


def entropy_bits(counts: np.ndarray) -> float:
    """Entropy in bits of a histogram (normalized first)."""
    p = np.asarray(counts, dtype=np.float64)
    p = p[p > 0] / p.sum()
    return float(-(p * np.log2(p)).sum())


# -- per-note figures -----------------------------------------------------------------------


def onset_positions(notes: Sequence[Note]) -> np.ndarray:
    """Where each note starts in its beat: 0..11 (0 on the beat, 6 the off-beat eighth)."""
    return np.array([n.onset % TICKS_PER_BEAT for n in notes], dtype=np.int64)


def intervals(notes: Sequence[Note]) -> np.ndarray:
    """Half steps from each note to the next, clipped to an octave either way."""
    pitches = np.array([n.pitch for n in notes], dtype=np.int64)
    return np.clip(np.diff(pitches), -INTERVAL_CLIP, INTERVAL_CLIP)


def inter_onset_intervals(notes: Sequence[Note]) -> np.ndarray:
    """Ticks from each onset to the next, clipped to ``IOI_CLIP``."""
    onsets = np.array([n.onset for n in notes], dtype=np.int64)
    return np.clip(np.diff(onsets), 0, IOI_CLIP)


def root_relative_pitch_classes(notes: Sequence[Note], chords: ChordSource) -> np.ndarray:
    """Each note's pitch class above the root of the chord at its onset (notes over NC are
    left out)."""
    found = []
    for note in notes:
        root = chords.chord_at(note.onset).root
        if root is not None:
            found.append((note.pitch - root) % 12)
    return np.array(found, dtype=np.int64)


def is_chord_tone(pitch: int, chord: Chord) -> bool:
    """Whether ``pitch`` is one of ``chord``'s tones (never under NC)."""
    return chord.root is not None and (pitch - chord.root) % 12 in chord.tones


def chord_tones_on_beat(notes: Sequence[Note], chords: ChordSource) -> tuple[int, int]:
    """(chord tones, notes) among the notes that start on a beat over a chord (not NC)."""
    tones = total = 0
    for note in notes:
        if note.onset % TICKS_PER_BEAT:
            continue
        chord = chords.chord_at(note.onset)
        if chord.root is None:
            continue
        total += 1
        tones += is_chord_tone(note.pitch, chord)
    return tones, total


# -- bars and phrases -----------------------------------------------------------------------


BREATH = TICKS_PER_BEAT // 2
"""A silence of at least this many ticks between a note's end and the next onset is a rest
(shorter ones are articulation), as in the encoding."""


def breath_phrases(notes: Sequence[Note]) -> list[int]:
    """Notes in each run of the line between rests (``BREATH``), in order."""
    runs: list[int] = []
    end = None
    for note in notes:
        if end is None or note.onset - end >= BREATH:
            runs.append(0)
        runs[-1] += 1
        end = note.onset + note.duration
    return runs


def bars_of(solo: MeteredSolo, bars: int = 1) -> list[list[Note]]:
    """The notes starting in each span of ``bars`` bars, from the first bar line (a last span
    shorter than ``bars`` is left out)."""
    span = solo.bar_ticks * bars
    groups: list[list[Note]] = [[] for _ in range(solo.n_bars // bars)]
    for note in solo.notes:
        index = note.onset // span
        if 0 <= index < len(groups):
            groups[index].append(note)
    return groups


def pitch_class_entropy(solo: MeteredSolo, window_bars: int) -> float | None:
    """H1 / H4 (module doc): mean entropy (bits) of the pitch-class counts in every window of
    ``window_bars`` consecutive bars with notes; None if no window has a note."""
    per_bar = np.zeros((solo.n_bars, 12), dtype=np.int64)
    for note in solo.notes:
        bar = note.onset // solo.bar_ticks
        if 0 <= bar < solo.n_bars:
            per_bar[bar, note.pitch % 12] += 1
    window = min(window_bars, solo.n_bars)
    if window < 1:
        return None
    cumulative = np.vstack([np.zeros((1, 12), dtype=np.int64), np.cumsum(per_bar, axis=0)])
    windows = cumulative[window:] - cumulative[:-window]
    entropies = [entropy_bits(w) for w in windows if w.sum() > 0]
    return float(np.mean(entropies)) if entropies else None


def grooving_similarity(solo: MeteredSolo) -> float | None:
    """GS (module doc): mean of 1 - XOR/Q over all pairs of bars; None under two bars."""
    if solo.n_bars < 2:
        return None
    onsets = np.zeros((solo.n_bars, solo.bar_ticks), dtype=np.float64)
    for note in solo.notes:
        bar, position = divmod(note.onset, solo.bar_ticks)
        if 0 <= bar < solo.n_bars:
            onsets[bar, position] = 1.0
    counts = onsets.sum(axis=1)
    shared = onsets @ onsets.T
    xor = counts[:, None] + counts[None, :] - 2.0 * shared
    upper = np.triu_indices(solo.n_bars, k=1)
    return float(np.mean(1.0 - xor[upper] / solo.bar_ticks))


def pitch_range(notes: Sequence[Note]) -> float | None:
    """5th to 95th percentile of the pitches, in half steps; None under two notes."""
    if len(notes) < 2:
        return None
    low, high = np.percentile([n.pitch for n in notes], [5, 95])
    return float(high - low)
