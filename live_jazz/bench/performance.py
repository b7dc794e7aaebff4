"""How a solo was played against the beat, in numbers: the figures ``live-jazz bench feel``
compares between real and generated solos, and what ``training/feel.py`` learns from.

One ``Performance`` type for both sides, measured by the same code: the real solo's beats are
the beat track's beat onsets, the generated solo's the tempo grid; each onset is placed in its
beat by them. A *downbeat note* is an onset within 1/8 beat of a beat; its lateness is the time
from that beat. The *swing ratio* of a beat holding exactly two onsets, one near the beat and
one in its second half, is the first one's length over the second's (to the next beat).
A note's *deviation* is its onset less the time of the grid position it was written on (the
beat onsets interpolated within the beat: the straight grid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NEAR_BEAT = 0.125
"""An onset within this share of a beat of the beat is on it."""
PHRASE_BARS = 4
"""Bars of a phrase in the per-phrase figures."""
REST_BEATS = 1.0
"""A silence this long (written) between two notes starts a new phrase."""


@dataclass(frozen=True)
class Performance:
    """Notes as played against the beats they were played to."""

    name: str
    """The solo (for messages)."""
    tune: str
    """Its tune (two-sample folds are grouped by it)."""
    tempo: float
    """Beats per minute (the median beat)."""
    beats_per_bar: int
    """The meter; beat 0 is a bar line."""
    beats: np.ndarray
    """Seconds of beat 0, 1, ... (one past the last note's beat at least)."""
    onsets: np.ndarray
    """Seconds of each note's onset, in written order."""
    written: np.ndarray
    """Where each note was written, in beats from beat 0 (straight grid)."""
    lengths: np.ndarray
    """Written length of each note, in beats."""
    pitches: np.ndarray
    """MIDI pitches."""
    velocities: np.ndarray | None = None
    """MIDI velocities (None: the recording has none)."""

    def grid_times(self, positions: np.ndarray) -> np.ndarray:
        """Seconds of straight grid ``positions`` (beats): the beat onsets, interpolated."""
        index = np.clip(np.floor(positions).astype(np.int64), 0, len(self.beats) - 2)
        start = self.beats[index]
        return start + (positions - index) * (self.beats[index + 1] - start)

    def deviations(self) -> np.ndarray:
        """Each onset less its written grid time (seconds, + late)."""
        return self.onsets - self.grid_times(self.written)

    def beat_lengths(self, positions: np.ndarray) -> np.ndarray:
        """Seconds of the beat each of ``positions`` (beats) lies in."""
        index = np.clip(np.floor(positions).astype(np.int64), 0, len(self.beats) - 2)
        return self.beats[index + 1] - self.beats[index]

    def phrase_starts(self) -> np.ndarray:
        """Whether each note starts a phrase (the first, or after ``REST_BEATS`` of rest)."""
        ends = self.written + self.lengths
        gaps = self.written[1:] - ends[:-1]
        return np.concatenate([[True], gaps >= REST_BEATS]) if len(self.written) else \
            np.zeros(0, dtype=bool)


def _placed(perf: Performance) -> tuple[np.ndarray, np.ndarray]:
    """For each onset: the beat it belongs to (the one it lies in, or the next one when it is
    within ``NEAR_BEAT`` before it) and its phase in that beat (-1/8 to 7/8)."""
    beats = perf.beats
    k = np.clip(np.searchsorted(beats, perf.onsets, side="right") - 1, 0, len(beats) - 2)
    length = beats[k + 1] - beats[k]
    phase = (perf.onsets - beats[k]) / length
    ahead = (phase >= 1.0 - NEAR_BEAT) & (k + 2 < len(beats))
    k = np.where(ahead, k + 1, k)
    length = beats[np.minimum(k + 1, len(beats) - 1)] - beats[k]
    phase = (perf.onsets - beats[k]) / np.where(length > 0, length, 1.0)
    return k, phase


def downbeat_lateness(perf: Performance) -> np.ndarray:
    """Seconds from the beat of every onset within ``NEAR_BEAT`` of one (+ late)."""
    k, phase = _placed(perf)
    near = np.abs(phase) < NEAR_BEAT
    return perf.onsets[near] - perf.beats[k[near]]


def swing_ratios(perf: Performance) -> np.ndarray:
    """The swing ratio of every beat holding exactly two onsets: one near the beat, one in its
    second half."""
    k, phase = _placed(perf)
    if not len(k):
        return np.zeros(0)
    counts = np.bincount(k, minlength=len(perf.beats))
    ratios = []
    for i in np.flatnonzero(counts[k] == 2):
        if i + 1 < len(k) and k[i + 1] == k[i] and abs(phase[i]) < NEAR_BEAT \
                and 0.5 <= phase[i + 1] < 1.0 - NEAR_BEAT:
            second = perf.beats[k[i] + 1] - perf.onsets[i + 1]
            if second > 0:
                ratios.append((perf.onsets[i + 1] - perf.onsets[i]) / second)
    return np.array(ratios)


def iqr(values: np.ndarray) -> float:
    """Interquartile range (NaN when empty)."""
    if not len(values):
        return float("nan")
    q1, q3 = np.percentile(values, [25, 75])
    return float(q3 - q1)


def median(values: np.ndarray) -> float:
    """Median (NaN when empty)."""
    return float(np.median(values)) if len(values) else float("nan")


def timing_figures(perfs: Sequence[Performance]) -> dict[str, float | int]:
    """Downbeat lateness (median, ms), its spread (IQR, ms) and the median swing ratio over
    ``perfs`` pooled."""
    late = np.concatenate([np.zeros(0), *(downbeat_lateness(p) for p in perfs)]) * 1000.0
    swing = np.concatenate([np.zeros(0), *(swing_ratios(p) for p in perfs)])
    return {"solos": len(perfs), "downbeats": len(late), "lateness_ms": median(late),
            "spread_ms": iqr(late), "swing_ratio": median(swing), "swing_beats": len(swing)}


def phrases(perf: Performance) -> list[np.ndarray]:
    """Indices of the notes of each ``PHRASE_BARS``-bar phrase (by written position)."""
    span = PHRASE_BARS * perf.beats_per_bar
    index = np.floor(perf.written / span).astype(np.int64)
    return [np.flatnonzero(index == i) for i in range(int(index.max()) + 1)] if len(index) \
        else []


N_TIMING_FEATURES = 10


def phrase_timing_features(perf: Performance, notes: np.ndarray) -> np.ndarray:
    """What the timing classifier sees of one phrase (NaN where a figure has no notes): the
    median and IQR of the deviations (ms) of notes written on the beat, the median and IQR of
    the played phase of notes written on the off-beat eighth, the median absolute deviation of
    the others, the lag-one correlation of consecutive deviations, the median downbeat
    lateness and swing ratio by onset alone, the share of its beat a deviation takes (spread
    in beats) and the tempo."""
    dev = perf.deviations()[notes]
    beat = perf.beat_lengths(perf.written[notes])
    frac = perf.written[notes] % 1.0
    on, eighth = np.isclose(frac, 0.0), np.isclose(frac, 0.5)
    other = ~(on | eighth)
    phase = 0.5 + dev[eighth] / beat[eighth]
    lag = float(np.corrcoef(dev[:-1], dev[1:])[0, 1]) if len(dev) >= 4 \
        and dev[:-1].std() > 0 and dev[1:].std() > 0 else float("nan")
    sub = _subset(perf, notes)
    return np.array([
        median(dev[on]) * 1000, iqr(dev[on]) * 1000, median(phase), iqr(phase),
        median(np.abs(dev[other])) * 1000, lag, median(downbeat_lateness(sub)) * 1000,
        median(swing_ratios(sub)), float(np.std(dev / beat)) if len(dev) else float("nan"),
        perf.tempo,
    ])


def _subset(perf: Performance, notes: np.ndarray) -> Performance:
    velocities = perf.velocities[notes] if perf.velocities is not None else None
    return Performance(perf.name, perf.tune, perf.tempo, perf.beats_per_bar, perf.beats,
                       perf.onsets[notes], perf.written[notes], perf.lengths[notes],
                       perf.pitches[notes], velocities)


def timing_table(perfs: Sequence[Performance], min_notes: int = 3) -> (
        tuple[np.ndarray, list[str]]):
    """Per-phrase timing features of ``perfs`` (phrases with ``min_notes`` notes or more) and
    each phrase's tune."""
    rows, groups = [], []
    for perf in perfs:
        for notes in phrases(perf):
            if len(notes) >= min_notes:
                rows.append(phrase_timing_features(perf, notes))
                groups.append(perf.tune)
    return np.array(rows).reshape(len(rows), N_TIMING_FEATURES), groups


ACCENT, GHOST = 10, 10
"""A note this much above (accent) or below (ghost) its phrase's median velocity."""


def velocity_figures(perfs: Sequence[Performance]) -> dict[str, float] | None:
    """Velocity figures of ``perfs`` (None if they carry none): the mean std within a phrase,
    the distinct values used, the correlation with pitch within phrases, the shares of accents
    and ghosted notes, the lowest and the highest."""
    stds, distinct, centred_v, centred_p, accents, ghosts, count = [], set(), [], [], 0, 0, 0
    low, high = 127, 0
    for perf in perfs:
        if perf.velocities is None:
            return None
        for notes in phrases(perf):
            if len(notes) < 3:
                continue
            v = perf.velocities[notes].astype(np.float64)
            p = perf.pitches[notes].astype(np.float64)
            stds.append(v.std())
            distinct.update(int(x) for x in v)
            centred_v.append(v - v.mean())
            centred_p.append(p - p.mean())
            mid = np.median(v)
            accents += int((v >= mid + ACCENT).sum())
            ghosts += int((v <= mid - GHOST).sum())
            count += len(v)
            low, high = min(low, int(v.min())), max(high, int(v.max()))
    if not count:
        return None
    cv, cp = np.concatenate(centred_v), np.concatenate(centred_p)
    corr = float(np.corrcoef(cv, cp)[0, 1]) if cv.std() > 0 and cp.std() > 0 else 0.0
    return {"std_in_phrase": float(np.mean(stds)), "distinct": len(distinct),
            "pitch_correlation": corr, "accent_share": accents / count,
            "ghost_share": ghosts / count, "lowest": low, "highest": high}
