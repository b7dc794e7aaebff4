"""What an installed live-jazz needs to find and say: the shipped data through the package (not
the checkout's folders), optional dependencies missing in one line, its version, and files that
follow the umask. The built wheel itself is checked by ``.ci/wheel_check`` (in CI)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from live_jazz.cli.main import main
from live_jazz.command import CliError, require
from live_jazz.model.bundle import WEIGHTS_ENV, default_weights_dir, load_weights
from live_jazz.synth.offline import write_wav
from live_jazz.synth.soundfont import SHIPPED

PLAY_TIME_FILES = ("arrays.npz", "vocabulary.json", "features.json", "articulation.json",
                   "README.md")


def test_the_shipped_weights_and_soundfont_come_from_the_package(monkeypatch):
    monkeypatch.delenv(WEIGHTS_ENV, raising=False)
    weights = default_weights_dir()
    assert weights == Path(importlib.util.find_spec("live_jazz.weights").origin).parent
    for name in PLAY_TIME_FILES:
        assert (weights / name).is_file(), name
    assert (weights / "seed" / "arrays.npz").is_file()
    assert load_weights().directory == weights
    assert SHIPPED.is_file() and SHIPPED.parent.name == "soundfonts"


def test_the_environment_still_overrides_the_shipped_weights(monkeypatch, tmp_path):
    monkeypatch.setenv(WEIGHTS_ENV, str(tmp_path))
    assert default_weights_dir() == tmp_path


def _without(monkeypatch, module: str) -> None:
    """Make ``module`` look uninstalled to ``require``."""
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name.split(".")[0] == module else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_require_says_what_to_install_in_one_line(monkeypatch):
    _without(monkeypatch, "tensorflow")
    with pytest.raises(CliError) as caught:
        require("tensorflow", "TensorFlow", "live-jazz train", "train")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("live-jazz train needs TensorFlow: pip install 'live-jazz[train]'")
    require("numpy", "NumPy", "anything", "none")  # installed: no error


@pytest.mark.parametrize("argv", [["train", "--corpus", "."], ["bench", "sampler"]])
def test_commands_that_need_tensorflow_say_so_without_it(argv, monkeypatch, capsys):
    _without(monkeypatch, "tensorflow")
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "needs TensorFlow" in err and "[train]" in err


def test_train_help_names_its_extra(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    assert "pipinstall'live-jazz[train]'" in "".join(capsys.readouterr().out.split())


def test_eval_without_ngram_counts_is_one_line(random_weights_dir, capsys, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "csv_melody").mkdir(parents=True)
    (corpus / "csv_beats").mkdir()
    assert main(["eval", "--weights", str(random_weights_dir), "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ngram.npz" in err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("live-jazz ")


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_audio_files_follow_the_umask(umask, tmp_path):
    previous = os.umask(umask)
    try:
        write_wav(tmp_path / "solo.wav", np.zeros((10, 2), np.int16), 48000)
    finally:
        os.umask(previous)
    assert (tmp_path / "solo.wav").stat().st_mode & 0o777 == 0o666 & ~umask
