"""Long runs of the improviser keep their character (``bench.long_run``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from live_jazz.bench.long_run import LongRunReport, RunStats, long_run_stats
from live_jazz.model.arrays import ARRAYS_FILE
from live_jazz.model.bundle import Weights, default_weights_dir, load_weights


@pytest.mark.parametrize("which", ["random_weights", "conditioned_weights"])
def test_long_runs_keep_their_statistics(which: str, request: pytest.FixtureRequest):
    # Rests made common (about a fifth of the values, as in performed solos) so that each
    # share is measured on hundreds of values: a 10% tolerance then measures the model, not
    # the sampling noise.
    weights: Weights = request.getfixturevalue(which)
    arrays = weights.arrays
    rests = np.array([v.is_rest for v in weights.vocabulary.values])
    weights = replace(weights, arrays=replace(
        arrays, dense_bias=arrays.dense_bias + 2.5 * rests))
    report = long_run_stats(weights, seed=0, runs=12, steps=4400, window=400)
    assert report.late_start == 4000
    assert 0.1 < report.early.rest_share < 0.3
    assert sum(report.early.onset_profile) == pytest.approx(1.0)
    assert report.within(0.10), report.relative_changes()


@pytest.mark.slow
def test_long_runs_of_the_shipped_weights_keep_their_statistics():
    directory = default_weights_dir()
    if not (directory / ARRAYS_FILE).is_file():
        pytest.skip(f"no shipped weights in {directory}")
    report = long_run_stats(load_weights(directory), seed=0, runs=4, steps=40000, window=2000)
    assert report.within(0.10), report.relative_changes()


def test_the_long_run_report_compares_early_and_late():
    profile = (0.5, 0.5) + (0.0,) * 10
    shifted = (0.4, 0.6) + (0.0,) * 10
    report = LongRunReport(RunStats(2.0, 0.2, 0.4, profile), RunStats(2.1, 0.25, 0.4, shifted),
                           200, 2000, 4)
    assert report.relative_changes() == pytest.approx(
        {"entropy": 0.05, "rest_share": 0.25, "chord_tone_share": 0.0, "onset_profile": 0.1})
    assert not report.within(0.10) and report.within(0.30)
