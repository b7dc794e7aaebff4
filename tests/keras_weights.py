"""A small random Keras model saved as a complete weights folder (``model.keras`` + its exported
arrays + vocabulary): for the tests of the Keras reference and of ``bench sampler``, so that
they need no shipped weights. Importing this module does not import Keras."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from live_jazz.encoding.features import SEED_SPEC, FeatureSpec
from live_jazz.model.bundle import VOCABULARY_FILE, load_weights


def write_random_keras_weights(directory: Path, vocabulary_dir: Path, n_a: int = 24,
                               seed: int = 11, features: FeatureSpec = SEED_SPEC) -> Path:
    """Save a random Keras model over the vocabulary of ``vocabulary_dir`` into ``directory``,
    reading ``features`` at each step. Weights are drawn wide enough that the LSTM state
    saturates, far from zero."""
    from live_jazz.command import quiet_tensorflow

    quiet_tensorflow()
    from live_jazz.model.keras_model import (
        KERAS_FILE,
        build_training_model,
        export_arrays,
        make_shared_layers,
    )

    vocabulary = load_weights(vocabulary_dir).vocabulary
    shared = make_shared_layers(len(vocabulary), n_a=n_a, n_features=features.size)
    model = build_training_model(shared, tx=2)
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        variable.assign(rng.normal(0, 0.6, tuple(variable.shape)).astype(np.float32))
    directory.mkdir(parents=True, exist_ok=True)
    model.save(directory / KERAS_FILE)
    export_arrays(shared).save(directory)
    vocabulary.save(directory / VOCABULARY_FILE)
    if features.groups:
        features.save(directory)
    return directory
