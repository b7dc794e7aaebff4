"""The figures of a set of solos (real, or generated over the same changes), and how close a
generated set's histograms come to the real set's.

Pooled over the set: the histograms (onset position in the beat, interval, pitch class above
the chord root, inter-onset interval) and the shares (onsets on the beat and on the off-beat
eighth, half steps, leaps of a fourth or more). Per 4-bar phrase, then averaged over the
phrases: the share of chord tones among on-beat notes, the pitch spread (std and max - min).
Per solo, then averaged over the solos (the median for the range): the range (5th to 95th
percentile), H1, H4, GS. Over the phrases between rests (``breath_phrases``): how many a bar,
and the notes of the longest tenth of them (the 90th percentile).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from live_jazz.bench.melody import (
    INTERVAL_CLIP,
    IOI_CLIP,
    LEAP,
    PHRASE_BARS,
    MeteredSolo,
    bars_of,
    breath_phrases,
    chord_tones_on_beat,
    grooving_similarity,
    histogram,
    inter_onset_intervals,
    intervals,
    onset_positions,
    overlap,
    pitch_class_entropy,
    pitch_range,
    root_relative_pitch_classes,
)
from live_jazz.encoding import TICKS_PER_BEAT

HISTOGRAMS = ("position", "interval", "root_pitch_class", "ioi")
"""The pooled histograms, by name."""
OFF_BEAT_EIGHTH = TICKS_PER_BEAT // 2


@dataclass(frozen=True)
class Profile:
    """The figures of one set of solos."""

    histograms: dict[str, np.ndarray]
    """Pooled counts, by the names of ``HISTOGRAMS``."""
    figures: dict[str, float | None]
    """The scalar figures (None where no solo or phrase gives one)."""


def _mean(values: Sequence[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return float(np.mean(found)) if found else None


def profile(solos: Sequence[MeteredSolo]) -> Profile:
    """The figures of ``solos`` (module doc)."""
    positions, steps, roots, iois = [], [], [], []
    chord_tone_shares: list[float | None] = []
    spreads_std: list[float | None] = []
    spreads_span: list[float | None] = []
    n_notes = n_bars = 0
    runs: list[int] = []
    for solo in solos:
        notes = solo.notes
        n_notes += len(notes)
        n_bars += solo.n_bars
        positions.append(onset_positions(notes))
        steps.append(intervals(notes))
        roots.append(root_relative_pitch_classes(notes, solo.chords))
        iois.append(inter_onset_intervals(notes))
        runs += breath_phrases(notes)
        for phrase in bars_of(solo, PHRASE_BARS):
            tones, total = chord_tones_on_beat(phrase, solo.chords)
            chord_tone_shares.append(tones / total if total else None)
            if len(phrase) >= 2:
                pitches = np.array([n.pitch for n in phrase])
                spreads_std.append(float(pitches.std()))
                spreads_span.append(float(pitches.max() - pitches.min()))
    histograms = {
        "position": histogram(np.concatenate(positions), TICKS_PER_BEAT),
        "interval": histogram(np.concatenate(steps), 2 * INTERVAL_CLIP + 1, INTERVAL_CLIP),
        "root_pitch_class": histogram(np.concatenate(roots), 12),
        "ioi": histogram(np.concatenate(iois), IOI_CLIP + 1),
    }
    position = histograms["position"]
    interval = histograms["interval"]
    n_positions, n_intervals = position.sum(), interval.sum()
    magnitude = np.abs(np.arange(-INTERVAL_CLIP, INTERVAL_CLIP + 1))
    ranges = [r for r in (pitch_range(s.notes) for s in solos) if r is not None]
    figures: dict[str, float | None] = {
        "solos": float(len(solos)),
        "notes_per_bar": n_notes / n_bars if n_bars else None,
        "breaths_per_bar": len(runs) / n_bars if n_bars else None,
        "long_line_notes": float(np.percentile(runs, 90)) if runs else None,
        "on_beat": position[0] / n_positions if n_positions else None,
        "off_beat_eighth": position[OFF_BEAT_EIGHTH] / n_positions if n_positions else None,
        "chord_tones_on_beat": _mean(chord_tone_shares),
        "phrase_pitch_std": _mean(spreads_std),
        "phrase_pitch_span": _mean(spreads_span),
        "solo_range": float(np.median(ranges)) if ranges else None,
        "half_steps": interval[magnitude == 1].sum() / n_intervals if n_intervals else None,
        "leaps": interval[magnitude >= LEAP].sum() / n_intervals if n_intervals else None,
        "h1": _mean([pitch_class_entropy(s, 1) for s in solos]),
        "h4": _mean([pitch_class_entropy(s, 4) for s in solos]),
        "gs": _mean([grooving_similarity(s) for s in solos]),
    }
    return Profile(histograms, {k: _plain(v) for k, v in figures.items()})


def _plain(value: float | np.floating | None) -> float | None:
    return None if value is None else float(value)


def overlaps(real: Profile, other: Profile) -> dict[str, float]:
    """``overlap_NAME`` of each pooled histogram of ``other`` with the real one's."""
    return {f"overlap_{name}": overlap(real.histograms[name], other.histograms[name])
            for name in HISTOGRAMS}
