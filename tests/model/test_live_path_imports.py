"""The live path (weights, sampler, improviser, the whole engine) never imports TensorFlow or
Keras: checked in a fresh interpreter, after sampling and decoding a bar."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROGRAM = """
import importlib, json, pkgutil, sys
import numpy as np
import live_jazz.engine, live_jazz.midi_io, live_jazz.music
for package in (live_jazz.engine, live_jazz.music, live_jazz.midi_io):
    for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
from live_jazz.music.improviser import Improviser
from live_jazz.model.bundle import load_weights
from live_jazz.theory import preset
improviser = Improviser(load_weights(sys.argv[1]), preset("blues-f").timeline(12),
                        np.random.default_rng(0))
steps = improviser.until(48)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))
print(json.dumps({"steps": len(steps), "heavy": heavy}))
"""


@pytest.mark.parametrize("which", ["random_weights_dir", "conditioned_weights_dir"])
def test_the_live_path_never_imports_tensorflow(which: str, request: pytest.FixtureRequest):
    directory = request.getfixturevalue(which)
    result = subprocess.run([sys.executable, "-c", PROGRAM, str(directory)],
                            capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["steps"] > 0
    assert report["heavy"] == []
