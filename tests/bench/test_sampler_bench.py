"""``live-jazz bench sampler``: every figure the issue asks for is there and consistent (the
figures themselves are for the reader: no wall-clock threshold here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keras_weights import write_random_keras_weights

from live_jazz.bench import percentiles_us
from live_jazz.bench.sampler import measure_live_path
from live_jazz.cli.main import main

SMALL = ["--steps", "300", "--predict-steps", "3", "--call-steps", "5", "--function-steps",
         "20", "--starts", "1", "--long-runs", "1", "--long-steps", "4000"]


@pytest.fixture(scope="module")
def keras_weights_dir(tmp_path_factory: pytest.TempPathFactory, random_weights_dir: Path) -> Path:
    return write_random_keras_weights(tmp_path_factory.mktemp("bench-weights"), random_weights_dir)


def test_json_has_every_figure_and_consistent_ratios(keras_weights_dir: Path, capsys):
    assert main(["bench", "sampler", "--json", "--weights", str(keras_weights_dir), *SMALL]) == 0
    figures = json.loads(capsys.readouterr().out)
    for key in ("numpy_p50_us", "numpy_p99_us", "predict_p50_us", "predict_p99_us",
                "call_p50_us", "tf_function_p50_us", "tf_function_p99_us",
                "improviser_p50_us", "naive_numpy_p50_us", "first_value_s", "peak_rss_mb"):
        assert figures[key] > 0, key
    assert figures["numpy_p50_us"] <= figures["numpy_p99_us"]
    assert figures["predict_over_numpy_p50"] == pytest.approx(
        figures["predict_p50_us"] / figures["numpy_p50_us"])
    assert figures["live_path_imports_tensorflow"] is False
    assert set(figures["long_run"]["relative_change"]) == {"entropy", "rest_share",
                                                           "chord_tone_share", "onset_profile"}
    assert figures["long_run"]["steps"] == 4000 and figures["long_run"]["window"] == 2000
    assert "numpy_p99_below_naive_p50" in figures["targets_met"]
    assert figures["targets_met"]["live_path_without_tensorflow"] is True


def test_text_report_names_each_way_of_stepping(keras_weights_dir: Path, capsys):
    assert main(["bench", "sampler", "--weights", str(keras_weights_dir), *SMALL]) == 0
    text = capsys.readouterr().out
    for label in ("numpy Sampler", "Keras predict", "Keras call", "tf.function",
                  "first sampled value", "peak RSS", "long run"):
        assert label in text


def test_the_live_path_is_measured_in_a_fresh_process(random_weights_dir: Path):
    figures = measure_live_path(random_weights_dir, starts=2)
    assert figures["first_value_s"] <= figures["first_value_max_s"]
    assert figures["live_path_imports_tensorflow"] is False
    assert 10 < figures["peak_rss_mb"] < 10_000


def test_weights_without_a_keras_model_are_a_clear_error(random_weights_dir: Path, capsys):
    assert main(["bench", "sampler", "--weights", str(random_weights_dir), *SMALL]) == 2
    assert "no model.keras" in capsys.readouterr().err


def test_percentiles_are_in_microseconds():
    assert percentiles_us([1000] * 99 + [100_000]) == pytest.approx((1.0, 1.0 + 0.01 * 99.0))
