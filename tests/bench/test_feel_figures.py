"""The feel's measuring code on tiny hand-written performances of known lateness and swing."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.bench.performance import (
    Performance,
    downbeat_lateness,
    phrase_timing_features,
    swing_ratios,
    timing_figures,
    velocity_figures,
)


def performance(onsets, written, beats, velocities=None) -> Performance:
    n = len(onsets)
    return Performance("p", "tune", 60.0 / float(np.median(np.diff(beats))), 4,
                       np.array(beats, dtype=float), np.array(onsets, dtype=float),
                       np.array(written, dtype=float), np.full(n, 0.4),
                       np.arange(60, 60 + n), None if velocities is None
                       else np.array(velocities))


def swung_pairs(late: float, ratio: float, beat: float = 0.5, beats: int = 8) -> Performance:
    """Two notes a beat: one ``late`` s after the beat, one where ``ratio`` puts it."""
    onsets, written = [], []
    for k in range(beats):
        onsets += [k * beat + late, k * beat + beat * ratio / (1 + ratio)]
        written += [k, k + 0.5]
    return performance(onsets, written, np.arange(beats + 1) * beat)


def test_lateness_and_swing_of_a_known_performance():
    perf = swung_pairs(late=0.0, ratio=2.0)
    assert downbeat_lateness(perf) == pytest.approx(np.zeros(8))
    assert swing_ratios(perf) == pytest.approx(np.full(8, 2.0))
    late = swung_pairs(late=0.012, ratio=1.5)
    figures = timing_figures([late])
    assert figures["lateness_ms"] == pytest.approx(12.0)
    assert figures["spread_ms"] == pytest.approx(0.0)
    # the first eighth runs from the late downbeat: (0.3 - 0.012) / (0.5 - 0.3)
    assert figures["swing_ratio"] == pytest.approx((0.3 - 0.012) / 0.2)


def test_an_early_note_belongs_to_the_beat_it_anticipates():
    perf = performance([0.98, 1.49], [2.0, 2.98], [0.0, 0.5, 1.0, 1.5, 2.0])
    assert downbeat_lateness(perf) * 1000 == pytest.approx([-20.0, -10.0])


def test_beats_with_more_than_two_onsets_or_no_late_half_have_no_ratio():
    run = performance([0.0, 0.125, 0.25, 0.375], [0, 0.25, 0.5, 0.75], [0.0, 0.5, 1.0])
    straight = performance([0.0, 0.2], [0, 0.4], [0.0, 0.5, 1.0])  # second onset at 0.4
    assert len(swing_ratios(run)) == 0 and len(swing_ratios(straight)) == 0


def test_deviations_follow_an_uneven_beat_track():
    beats = [0.0, 0.5, 1.1, 1.6]
    perf = performance([0.55, 0.8, 1.12], [1.0, 1.5, 2.0], beats)  # 1.5: 0.5 + 0.6 / 2
    assert perf.deviations() * 1000 == pytest.approx([50.0, 0.0, 20.0])


def test_phrase_features_see_the_lateness_and_the_swing():
    perf = swung_pairs(late=0.02, ratio=2.0, beats=16)
    features = phrase_timing_features(perf, np.arange(len(perf.onsets)))
    assert features[0] == pytest.approx(20.0)  # on-beat deviation, ms
    assert features[2] == pytest.approx(2 / 3)  # the off-beat eighth's phase
    assert features[6] == pytest.approx(20.0)  # downbeat lateness by onset alone


def test_velocity_figures():
    flat = swung_pairs(0.0, 2.0)
    flat = Performance(**{**flat.__dict__, "velocities": np.full(16, 90)})
    figures = velocity_figures([flat])
    assert figures["std_in_phrase"] == 0.0 and figures["distinct"] == 1
    assert velocity_figures([swung_pairs(0.0, 2.0)]) is None
    shaped = Performance(**{**flat.__dict__, "velocities": np.array([100, 70] * 8)})
    figures = velocity_figures([shaped])
    assert figures["std_in_phrase"] == pytest.approx(15.0)
    assert figures["lowest"] == 70 and figures["highest"] == 100
