"""A classifier two-sample test: can a gradient-boosted classifier tell real 4-bar phrases from
generated ones? Its cross-validated accuracy is 0.5 when it cannot (the two sets look alike in
everything the features see) and near 1 when every phrase gives itself away.

The folds are grouped by tune (``GroupKFold``): the real and generated phrases over one tune's
changes are always on the same side, so the classifier never learns a tune's key or harmony in
one fold to recognize it in another. The accuracy is balanced (the mean of the two classes'
recall): a classifier that cannot tell the sets apart predicts the same whatever the true class,
so its recalls add up to 1 and chance stays 0.5 when one set has more phrases (no class weights,
which would make scikit-learn bin the features by weighted percentiles, several times slower).
scikit-learn is imported here only, when the test runs (the ``bench`` extra); the live path
never sees it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from live_jazz.bench.melody import (
    INTERVAL_CLIP,
    PHRASE_BARS,
    MeteredSolo,
    bars_of,
    chord_tones_on_beat,
    histogram,
    onset_positions,
    root_relative_pitch_classes,
)
from live_jazz.command import require
from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.theory import ChordSource

MIN_PHRASE_NOTES = 3
"""Phrases with fewer notes are left out of the test (nearly silent phrases say little)."""
FOLDS = 5
"""Cross-validation folds (fewer when there are fewer tunes)."""
IOI_EDGES = np.array([0, 2, 3, 4, 5, 6, 7, 9, 12, 13, 24, 48])
"""Coarse inter-onset-interval bins (ticks, left edges): triplet and straight subdivisions of
the beat apart, longer values merged."""
INTERVAL_BINS = 2 * INTERVAL_CLIP + 1
N_FEATURES = TICKS_PER_BEAT + INTERVAL_BINS + 12 + len(IOI_EDGES) + 7


def phrase_features(notes: Sequence[Note], chords: ChordSource, start: int, ticks: int) -> (
        np.ndarray):
    """What the classifier sees of one phrase of ``ticks`` ticks from ``start``: normalized
    histograms (onset position in the beat, interval, pitch class above the root, inter-onset
    interval), notes per beat, mean pitch, pitch std and span, chord tones on the beat,
    share of time sounding, mean note length over the inter-onset interval."""
    pitches = np.array([n.pitch for n in notes], dtype=np.float64)
    onsets = np.array([n.onset for n in notes], dtype=np.int64)
    steps = np.clip(np.diff(pitches).astype(np.int64), -INTERVAL_CLIP, INTERVAL_CLIP)
    iois = np.diff(onsets)
    ioi_bins = np.searchsorted(IOI_EDGES, np.minimum(iois, IOI_EDGES[-1]), side="right") - 1
    tones, on_beat = chord_tones_on_beat(notes, chords)
    ends = np.minimum([n.onset + n.duration for n in notes], np.append(onsets[1:], start + ticks))
    lengths = np.clip(ends - onsets, 0, None)
    sounding = float(lengths.sum())
    parts = [
        _normalized(histogram(onset_positions(notes), TICKS_PER_BEAT)),
        _normalized(histogram(steps, INTERVAL_BINS, INTERVAL_CLIP)),
        _normalized(histogram(root_relative_pitch_classes(notes, chords), 12)),
        _normalized(histogram(ioi_bins, len(IOI_EDGES))),
        np.array([
            len(notes) / (ticks / TICKS_PER_BEAT),
            pitches.mean(),
            pitches.std(),
            pitches.max() - pitches.min(),
            tones / on_beat if on_beat else 0.5,
            sounding / ticks,
            float(np.mean(lengths[:-1] / np.maximum(iois, 1))) if len(iois) else 1.0,
        ]),
    ]
    return np.concatenate(parts)


def _normalized(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    return counts / total if total else counts.astype(np.float64)


def solo_phrase_features(solo: MeteredSolo) -> np.ndarray:
    """Features of every 4-bar phrase of ``solo`` with enough notes: (phrases, N_FEATURES)."""
    ticks = PHRASE_BARS * solo.bar_ticks
    rows = [phrase_features(phrase, solo.chords, index * ticks, ticks)
            for index, phrase in enumerate(bars_of(solo, PHRASE_BARS))
            if len(phrase) >= MIN_PHRASE_NOTES]
    return np.array(rows).reshape(len(rows), N_FEATURES)


def phrase_table(solos: Sequence[MeteredSolo], by_solo: bool = False) -> (
        tuple[np.ndarray, list[str]]):
    """Features of the phrases of ``solos`` and the group of each phrase: its tune (or, with
    ``by_solo``, its solo: for a set of one tune)."""
    tables = [solo_phrase_features(s) for s in solos]
    groups = [s.name if by_solo else s.tune
              for s, t in zip(solos, tables, strict=True) for _ in range(len(t))]
    return np.vstack([np.zeros((0, N_FEATURES)), *tables]), groups


def require_sklearn() -> None:
    """CliError (one line) if scikit-learn is missing."""
    require("sklearn", "scikit-learn", "bench music", "bench")


def two_sample_accuracy(real: tuple[np.ndarray, list[str]],
                        other: tuple[np.ndarray, list[str]], seed: int = 0) -> float | None:
    """Balanced cross-validated accuracy of telling ``other``'s phrases from ``real``'s (each a
    ``phrase_table``); None with fewer than two groups or an empty side."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import GroupKFold
    from threadpoolctl import threadpool_limits

    (x_real, tunes_real), (x_other, tunes_other) = real, other
    groups = np.array(tunes_real + tunes_other)
    n_groups = len(set(groups))
    if not len(x_real) or not len(x_other) or n_groups < 2:
        return None
    x = np.vstack([x_real, x_other])
    y = np.concatenate([np.zeros(len(x_real), dtype=int), np.ones(len(x_other), dtype=int)])
    predicted = np.empty_like(y)
    # One thread: on a shared machine OpenMP's threads wait on each other (on 2 busy cores a
    # fit took 25 times longer with 2 threads than with 1).
    with threadpool_limits(1):
        for train, test in GroupKFold(n_splits=min(FOLDS, n_groups)).split(x, y, groups):
            classifier = HistGradientBoostingClassifier(
                max_iter=100, learning_rate=0.1, random_state=seed)
            classifier.fit(x[train], y[train])
            predicted[test] = classifier.predict(x[test])
    return float(balanced_accuracy_score(y, predicted))
