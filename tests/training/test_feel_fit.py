"""Learning the feel from hand-made performances of known lateness and swing; feel.json."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from live_jazz.bench.performance import Performance, timing_figures
from live_jazz.encoding.feel import FEEL_FILE, FeelModel
from live_jazz.model.bundle import WeightsError, load_weights
from training.feel import fit
from training.feel_calibration import calibrate, own_notes, simulate


def player(tempo: float, late_ms: float, ratio: float, seed: int, bars: int = 16) -> Performance:
    """Pairs of swung eighths, a rest every other bar: downbeats ``late_ms`` late (+- a few
    ms), the off-beat eighth where ``ratio`` puts it."""
    rng = np.random.default_rng(seed)
    beat = 60.0 / tempo
    onsets, written = [], []
    for b in range(bars * 4):
        if (b // 4) % 2 == 1 and b % 4 >= 2:
            continue  # rests: phrases
        jitter = rng.normal(0.0, 0.003)
        onsets += [b * beat + late_ms / 1000 + jitter, b * beat + beat * ratio / (1 + ratio)]
        written += [b, b + 0.5]
    n = len(onsets)
    return Performance(f"s{seed}", f"t{seed}", tempo, 4, np.arange(bars * 4 + 2) * beat,
                       np.array(onsets), np.array(written), np.full(n, 0.4),
                       np.full(n, 64))


@pytest.fixture(scope="module")
def players() -> list[Performance]:
    return [player(tempo, 15.0 if tempo < 200 else -5.0, 2.0 if tempo < 200 else 1.4, seed)
            for seed, tempo in enumerate([110, 120, 130, 170, 180, 220, 240, 280, 300, 320])]


def test_the_fit_finds_the_swing_falling_with_the_tempo_and_the_lateness(players):
    feel = fit(players)
    assert feel.swing_at(120) > feel.swing_at(300)
    assert feel.swing_at(120) == pytest.approx(2 / 3, abs=0.03)
    assert feel.band_ms[0][0] == pytest.approx(15.0, abs=2.0)  # slow, on the bar line
    assert feel.band_ms[3][1] == pytest.approx(-5.0, abs=2.0)  # very fast, on a beat


def test_the_calibrated_model_plays_the_players_own_notes_as_they_did(players):
    feel = calibrate(players, fit(players), own_notes, rounds=2)
    rng = np.random.default_rng(0)
    for perf in players:
        real, model = timing_figures([perf]), timing_figures([simulate(perf, feel, rng)])
        assert model["lateness_ms"] == pytest.approx(real["lateness_ms"], abs=4.0)
        assert model["swing_ratio"] == pytest.approx(real["swing_ratio"], abs=0.15)


def test_feel_json_round_trips_and_a_folder_without_it_plays_on_the_grid(
        players, random_weights_dir, tmp_path):
    folder = tmp_path / "weights"
    shutil.copytree(random_weights_dir, folder)
    assert load_weights(folder).feel is None
    feel = fit(players, "table")
    feel.save(folder, {"solos": len(players)})
    assert FeelModel.load(folder) == feel
    assert load_weights(folder).feel == feel
    (folder / FEEL_FILE).write_text('{"format": "live-jazz-feel/1"}', encoding="utf-8")
    with pytest.raises(WeightsError, match=FEEL_FILE):
        load_weights(folder)


def test_one_short_solo_still_gives_a_model(players):
    feel = calibrate(players[:1], fit([players[0]]), own_notes, rounds=1)
    assert 0.5 <= feel.swing_at(120) <= 0.75
    assert all(np.isfinite(v) for row in feel.band_ms for v in row)
