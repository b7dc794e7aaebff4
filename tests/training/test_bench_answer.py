"""``live-jazz bench answer`` from the command line, on a tiny WJazzD-style corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from live_jazz.cli.main import main
from live_jazz.model.bundle import CONFIG_FILE

NAMES = [f"Player{i}_Tune{i}_Solo" for i in range(6)]


@pytest.fixture
def answer_corpus(tmp_path: Path, solo_writer) -> Path:
    root = tmp_path / "wjazzd"
    rng = np.random.default_rng(5)
    for name in NAMES:
        solo_writer(root, name, rng, bars=12)
    return root


@pytest.fixture
def split_weights(tmp_path: Path, random_weights_dir: Path) -> Path:
    directory = tmp_path / "weights"
    shutil.copytree(random_weights_dir, directory)
    split = {"train": NAMES[:3], "validation": NAMES[3:]}
    (directory / CONFIG_FILE).write_text(json.dumps({"split": split}), encoding="utf-8")
    return directory


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
