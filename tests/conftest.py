"""Fixtures every layer's tests share: a small weights folder made here, so that no test needs the
shipped weights or the corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from live_jazz.encoding import COUNT_IN, MOTIONS, Role, Value, Vocabulary
from live_jazz.model.arrays import ModelArrays
from live_jazz.model.bundle import VOCABULARY_FILE, Weights, load_weights

TEST_N_A = 16
"""Hidden size of the test weights: small, so that tests run fast."""


def write_random_weights(directory: Path, seed: int = 0, n_a: int = TEST_N_A) -> Path:
    """A weights folder (arrays + vocabulary) with random weights over a small vocabulary of
    eighths, quarters and triplets in every role and motion, plus rests and the count-in."""
    values = [COUNT_IN, Value(6), Value(12), Value(24)]
    values += [Value(d, role, motion) for d in (4, 6, 12) for role in Role for motion in MOTIONS]
    vocabulary = Vocabulary(values, [len(values) - i for i in range(len(values))], 1)
    rng = np.random.default_rng(seed)
    n = len(values)
    arrays = ModelArrays(
        kernel=rng.normal(0, 0.5, (n, 4 * n_a)),
        recurrent_kernel=rng.normal(0, 0.5 / np.sqrt(n_a), (n_a, 4 * n_a)),
        bias=rng.normal(0, 0.1, 4 * n_a),
        dense_kernel=rng.normal(0, 1.0, (n_a, n)),
        dense_bias=rng.normal(0, 0.1, n),
    )
    directory.mkdir(parents=True, exist_ok=True)
    arrays.save(directory)
    vocabulary.save(directory / VOCABULARY_FILE)
    return directory


@pytest.fixture(scope="session")
def random_weights_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A weights folder with random weights (no ``model.keras``): for the live path's tests."""
    return write_random_weights(tmp_path_factory.mktemp("weights"))


@pytest.fixture(scope="session")
def random_weights(random_weights_dir: Path) -> Weights:
    """``random_weights_dir`` loaded."""
    return load_weights(random_weights_dir)
