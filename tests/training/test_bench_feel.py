"""``python -m training.feel`` and ``live-jazz bench feel`` on a tiny WJazzD-style corpus (the
tests write it: its solos sit on the beat, straight)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from live_jazz.cli.main import main
from live_jazz.encoding.feel import FeelModel
from training.feel import main as feel_main

pytest.importorskip("sklearn")

NAMES = [f"Player{i}_Tune{i % 5}-{i // 5 + 1}_Solo" for i in range(10)]


@pytest.fixture
def corpus(tmp_path: Path, solo_writer) -> Path:
    root = tmp_path / "wjazzd"
    rng = np.random.default_rng(3)
    for name in NAMES:
        solo_writer(root, name, rng, bars=12)
    return root


@pytest.fixture
def weights(weights_with_split) -> Path:
    return weights_with_split(NAMES[:6], NAMES[6:])


def test_the_feel_of_players_on_the_beat_is_on_the_beat_and_bench_feel_says_so(
        corpus, weights, capsys):
    assert feel_main(["--corpus", str(corpus), "--weights", str(weights)]) == 0
    assert "wrote" in capsys.readouterr().out
    feel = FeelModel.load(weights)
    assert feel is not None
    assert all(abs(v) < 1.0 for v in feel.band_ms[0][:2])  # 120 BPM, on the beat: no lean
    assert main(["bench", "feel", "--json", "--corpus", str(corpus), "--weights",
                 str(weights), "--samples", "2"]) == 0
    figures = json.loads(capsys.readouterr().out)
    slow = figures["bands"]["slow"]  # 120 BPM
    assert slow["real"]["lateness_ms"] == pytest.approx(0.0, abs=1e-6)
    assert abs(slow["players"]["lateness_ms"]) < 3.0
    assert slow["grid"]["spread_ms"] == 0.0 and slow["players"]["spread_ms"] < 5.0
    assert figures["velocity"]["players"]["std_in_phrase"] > 0
    assert figures["velocity"]["grid"]["distinct"] == 1


def test_bad_input_is_one_line(corpus, tmp_path, capsys):
    assert feel_main(["--corpus", str(corpus), "--weights", str(tmp_path)]) == 2
    assert "no train/validation split" in capsys.readouterr().err
