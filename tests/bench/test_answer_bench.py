"""``live-jazz bench answer``: relatedness on hand-made phrases, calls cut from solos, and the
figures' keys on a few synthetic solos (random weights)."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.bench.answer import (
    COLUMNS,
    TARGETS,
    describe_answers,
    exchange_of,
    features,
    measure_answers,
    relatedness,
)
from live_jazz.bench.melody import MeteredSolo
from live_jazz.encoding import Note
from live_jazz.theory import preset

BAR = 48


def phrase(onsets: list[int], pitches: list[int]) -> list[Note]:
    return [Note(o, 6, p) for o, p in zip(onsets, pitches, strict=True)]


CALLS = [
    phrase([0, 12, 24, 36], [60, 62, 64, 65]),  # quarters, steps up, middle
    phrase([6, 18, 30, 42], [80, 73, 85, 78]),  # off-beat eighths, leaps, high
    phrase([0, 4, 8, 16, 20], [50, 50, 50, 48, 48]),  # triplets, repeats, low
]


def test_answers_that_are_their_calls_are_related_and_shuffled_ones_are_not():
    calls = [features(c, BAR) for c in CALLS]
    same = relatedness(calls, calls)
    assert all(value > 0.3 for value in same.values())
    shuffled = relatedness([calls[1], calls[2], calls[0]], calls)
    assert all(value < 0 for value in shuffled.values())
    with pytest.raises(ValueError):
        relatedness(calls[:1], calls[:1])


def test_features_count_onsets_by_position_in_the_bar():
    figures = features(phrase([0, BAR, BAR + 6], [60, 62, 61]), BAR)
    assert figures.rhythm[0] == 2 and figures.rhythm[6] == 1
    assert figures.intervals[12 + 2] == 0.5 and figures.intervals[12 - 1] == 0.5
    assert figures.mean_pitch == 61


def solo(name: str, notes: list[Note], bars: int = 12) -> MeteredSolo:
    timeline = preset("blues-f").timeline(12)
    return MeteredSolo(name, name, tuple(notes), timeline, 4, bars, 160.0)


def test_the_call_is_the_first_four_bars_with_notes_and_the_continuation_the_next_four():
    notes = phrase([2 * BAR + 6, 3 * BAR, 5 * BAR + 40, 6 * BAR, 9 * BAR + 12],
                   [60, 62, 64, 66, 68])
    exchange = exchange_of(solo("x", notes))
    assert exchange is not None
    assert [(n.onset, n.pitch) for n in exchange.call] == [(6, 60), (BAR, 62), (3 * BAR + 40, 64)]
    assert exchange.call[-1].duration == 6 and exchange.window.n_bars == 8
    assert [(n.onset, n.pitch) for n in exchange.continuation] == [(0, 66), (3 * BAR + 12, 68)]
    # Its chords are the tune's from the call's bar line: the F blues' bar 3 is F7.
    assert exchange.window.chords.chord_at(0).symbol == "F7"
    assert exchange_of(solo("short", notes, bars=9)) is None  # ends before the continuation
    assert exchange_of(solo("thin", notes[:1] + notes[3:])) is None  # a one-note call


def test_bench_answer_figures_on_synthetic_solos(random_weights):
    rng = np.random.default_rng(0)
    solos = []
    for k in range(4):
        onsets = sorted(rng.choice(np.arange(0, 8 * BAR, 6), size=40, replace=False).tolist())
        pitches = (60 + 4 * k + rng.integers(-5, 6, size=40)).tolist()
        solos.append(solo(f"s{k}", phrase(onsets, pitches)))
    exchanges = [exchange_of(s) for s in solos]
    assert all(e is not None for e in exchanges)
    figures = measure_answers(exchanges, random_weights, repeats=1)  # type: ignore[arg-type]
    assert figures["calls"] == 4 and set(figures["columns"]) == set(COLUMNS)
    for column in COLUMNS:
        row = figures["columns"][column]
        assert set(row) >= {"rhythm", "intervals", "register", "copy_share",
                            "chord_tones_on_beat", "notes_per_bar"}
        assert 0.0 <= row["copy_share"] <= 1.0
    assert set(figures["targets_met"]) == set(TARGETS)
    text = describe_answers(figures, "heading")
    assert "relatedness: rhythm" in text and "auto" in text
