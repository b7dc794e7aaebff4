"""``live-jazz bench answer`` from the command line, on a tiny WJazzD-style corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from live_jazz.cli.main import main

NAMES = [f"Player{i}_Tune{i}_Solo" for i in range(6)]


@pytest.fixture
def answer_corpus(tmp_path: Path, solo_writer) -> Path:
    root = tmp_path / "wjazzd"
    rng = np.random.default_rng(5)
    for name in NAMES:
        solo_writer(root, name, rng, bars=12)
    return root


@pytest.fixture
def split_weights(weights_with_split) -> Path:
    return weights_with_split(NAMES[:3], NAMES[3:])


def test_bench_answer_json_has_every_column(answer_corpus: Path, split_weights: Path, capsys):
    argv = ["bench", "answer", "--json", "--corpus", str(answer_corpus), "--weights",
            str(split_weights), "--repeats", "1"]
    assert main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["calls"] == 3 and figures["split"] == "validation"
    assert set(figures["columns"]) == {"real", "primed", "echo", "develop", "contrast", "auto"}
    assert set(figures["targets_met"]) == {"rhythm", "intervals", "register", "copy_share",
                                           "chord_tones_on_beat"}
    assert main(argv[:2] + argv[3:]) == 0
    assert "relatedness: register" in capsys.readouterr().out


def test_bench_answer_errors_are_one_line(answer_corpus: Path, random_weights_dir: Path,
                                          tmp_path: Path, capsys):
    assert main(["bench", "answer", "--corpus", str(answer_corpus), "--weights",
                 str(random_weights_dir)]) == 2  # weights without a split
    assert "no train/validation split" in capsys.readouterr().err
    assert main(["bench", "answer", "--corpus", str(tmp_path / "none")]) == 2
    assert "corpus folder not found" in capsys.readouterr().err
