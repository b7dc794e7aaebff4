"""Corrupt weights (issue 13, item 4): each is one line naming the file and the problem, exit
code 2 -- never a traceback, and never NaN weights playing a degenerate loop without a word."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from live_jazz.cli.main import main
from live_jazz.encoding.articulation import ARTICULATION_FILE
from live_jazz.model.arrays import ARRAYS_FILE
from live_jazz.model.bundle import VOCABULARY_FILE

pytestmark = pytest.mark.faults


def _truncate(folder: Path) -> None:
    data = (folder / ARRAYS_FILE).read_bytes()
    (folder / ARRAYS_FILE).write_bytes(data[: len(data) // 2])


def _vocabulary(document: object) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / VOCABULARY_FILE).write_text(json.dumps(document))
    return write


def _edit_vocabulary(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        document = json.loads((folder / VOCABULARY_FILE).read_text())
        change(document)
        (folder / VOCABULARY_FILE).write_text(json.dumps(document))
    return edit


def _edit_arrays(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        with np.load(folder / ARRAYS_FILE) as data:
            arrays = dict(data)
        change(arrays)
        np.savez(folder / ARRAYS_FILE, **arrays)
    return edit


def _set(name: str, make: Callable[[np.ndarray], np.ndarray]) -> Callable[[dict], None]:
    return lambda arrays: arrays.__setitem__(name, make(arrays[name]))


def _poison(name: str, value: float) -> Callable[[np.ndarray], np.ndarray]:
    def poison(array: np.ndarray) -> np.ndarray:
        array = array.copy()
        array.flat[0] = value
        return array
    return poison


CASES = {
    "truncated arrays.npz": (_truncate, ARRAYS_FILE, "not a complete npz archive"),
    "arrays.npz not an archive": (
        lambda f: (f / ARRAYS_FILE).write_text("hello"), ARRAYS_FILE, "npz"),
    "vocabulary a list": (_vocabulary([1, 2, 3]), VOCABULARY_FILE, "not a live-jazz-vocabulary"),
    "vocabulary of ints": (_edit_vocabulary(lambda d: d.__setitem__(
        "values", list(range(len(d["values"]))))), VOCABULARY_FILE, "'values' must be"),
    "vocabulary not JSON": (lambda f: (f / VOCABULARY_FILE).write_text("{\"format\": "),
                            VOCABULARY_FILE, "not JSON"),
    "vocabulary bad token": (_edit_vocabulary(lambda d: d["values"].__setitem__(0, "Q:9:9")),
                             VOCABULARY_FILE, "bad value token 'Q:9:9'"),
    "vocabulary value twice": (_edit_vocabulary(lambda d: d["values"].__setitem__(
        1, d["values"][0])), VOCABULARY_FILE, "listed twice"),
    "vocabulary counts short": (_edit_vocabulary(lambda d: d["counts"].pop()),
                                VOCABULARY_FILE, "'counts' must be"),
    "vocabulary min_count text": (_edit_vocabulary(lambda d: d.__setitem__("min_count", "x")),
                                  VOCABULARY_FILE, "'min_count' must be"),
    "recurrent_kernel mis-shaped": (_edit_arrays(_set("recurrent_kernel", lambda a: a[:, :10])),
                                    ARRAYS_FILE, "recurrent_kernel has shape"),
    "recurrent_kernel flat": (_edit_arrays(_set("recurrent_kernel", lambda a: a.ravel())),
                              ARRAYS_FILE, "recurrent_kernel has shape"),
    "kernel rows not the vocabulary": (_edit_arrays(_set("kernel", lambda a: a[:-1])),
                                       ARRAYS_FILE, "kernel has shape"),
    "dense_bias too long": (_edit_arrays(_set("dense_bias", lambda a: np.append(a, 0.0))),
                            ARRAYS_FILE, "dense_bias has shape"),
    "NaN in the kernel": (_edit_arrays(_set("kernel", _poison("kernel", np.nan))),
                          ARRAYS_FILE, "kernel holds 1 value(s) that are not finite"),
    "inf in dense_bias": (_edit_arrays(_set("dense_bias", _poison("dense_bias", np.inf))),
                          ARRAYS_FILE, "dense_bias holds 1 value(s) that are not finite"),
    "an array missing": (_edit_arrays(lambda a: a.pop("bias")), ARRAYS_FILE, "no array 'bias'"),
    "an unknown array": (_edit_arrays(lambda a: a.__setitem__("extra", np.zeros(3))),
                         ARRAYS_FILE, "unknown array 'extra'"),
    "text instead of numbers": (_edit_arrays(_set("bias", lambda a: np.full(a.shape, "x"))),
                                ARRAYS_FILE, "could not convert"),
    "articulation not JSON": (lambda f: (f / ARTICULATION_FILE).write_text("{"),
                              ARTICULATION_FILE, "not JSON"),
    "articulation gates falling": (lambda f: (f / ARTICULATION_FILE).write_text(json.dumps(
        {"format": "live-jazz-articulation/1", "ticks_per_beat": 12,
         "gates": {"6": [1.0] + [0.5] * 20}})), ARTICULATION_FILE, "must be 21 rising shares"),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def corrupt(request, random_weights_dir, tmp_path) -> tuple[Path, str, str]:
    """(a corrupted copy of the test weights, the file at fault, what the error says)."""
    spoil, file, message = CASES[request.param]
    folder = tmp_path / "weights"
    shutil.copytree(random_weights_dir, folder)
    spoil(folder)
    return folder, file, message


@pytest.mark.parametrize("command", ["play", "generate", "bench sampler"])
def test_corrupt_weights_are_one_line_naming_the_file(command, corrupt, tmp_path, capsys):
    folder, file, message = corrupt
    argv = {
        "play": ["play", "--headless", "--midi-api", "test", "--no-record", "--duration", "1"],
        "generate": ["generate", "--preset", "blues-f", "--out", str(tmp_path / "g.mid")],
        "bench sampler": ["bench", "sampler", "--steps", "10", "--starts", "1"],
    }[command]
    assert main([*argv, "--weights", str(folder)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"live-jazz: error: {folder / file}: ")
    assert message in lines[0]
