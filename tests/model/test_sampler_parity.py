"""The numpy sampler computes what the Keras one-step model built from the same trained layers
computes: probabilities and states within 1e-5 over hundreds of steps from a non-zero state, for
the seed-exact model and for the conditioned one (features at every step)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from keras_weights import write_random_keras_weights

from live_jazz.encoding.features import SEED_SPEC, FeatureSpec
from live_jazz.model.bundle import load_weights
from live_jazz.model.sampler import Sampler, SamplerState

STEPS = 300


@pytest.fixture(scope="module")
def keras_weights_dir(tmp_path_factory: pytest.TempPathFactory, random_weights_dir: Path) -> Path:
    return write_random_keras_weights(tmp_path_factory.mktemp("keras-weights"), random_weights_dir)


@pytest.fixture(scope="module")
def conditioned_keras_weights_dir(tmp_path_factory: pytest.TempPathFactory,
                                  random_weights_dir: Path) -> Path:
    return write_random_keras_weights(tmp_path_factory.mktemp("keras-conditioned"),
                                      random_weights_dir, features=FeatureSpec())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("spec", [SEED_SPEC, FeatureSpec()], ids=["seed", "conditioned"])
def test_numpy_step_matches_the_keras_one_step_model(keras_weights_dir: Path,
                                                     conditioned_keras_weights_dir: Path,
                                                     dtype, spec: FeatureSpec):
    from live_jazz.model.reference import KerasReference

    directory = conditioned_keras_weights_dir if spec.groups else keras_weights_dir
    reference = KerasReference(directory)
    weights = load_weights(directory)
    assert weights.features == spec and reference.n_features == spec.size
    sampler = Sampler(weights, np.random.default_rng(0), loop_guard=False, dtype=dtype)
    rng = np.random.default_rng(5)
    # A non-zero state to start from (both sides get the same one).
    a0 = rng.uniform(-0.9, 0.9, reference.n_a).astype(np.float32)
    c0 = rng.uniform(-3, 3, reference.n_a).astype(np.float32)
    pending = 3
    sampler.restore(SamplerState(a0, c0, pending, sampler.snapshot().guard))
    a, c = a0[None], c0[None]
    worst = {"p": 0.0, "a": 0.0, "c": 0.0}
    for index in rng.integers(weights.arrays.n_values, size=STEPS):
        features = rng.integers(0, 2, spec.size).astype(dtype) if spec.size else None
        probs, a, c = reference.call_step(pending, a, c, features)
        mine = sampler.probabilities(features)
        sampler.observe(int(index), features)
        pending = int(index)
        for name, ours, theirs in (("p", mine, probs[0]), ("a", sampler.a, a[0]),
                                   ("c", sampler.c, c[0])):
            worst[name] = max(worst[name], float(np.abs(ours - theirs).max()))
    assert max(worst.values()) <= 1e-5, worst
    assert float(np.abs(c).max()) > 1.0  # the run left the zero state's neighbourhood


def test_the_three_keras_calls_agree(keras_weights_dir: Path):
    from live_jazz.model.reference import KerasReference

    reference = KerasReference(keras_weights_dir)
    a, c = reference.zero_state()
    outputs = [f(3, a, c) for f in (reference.call_step, reference.predict_step,
                                    reference.function_step)]
    for other in outputs[1:]:
        for mine, theirs in zip(outputs[0], other, strict=True):
            np.testing.assert_allclose(mine, theirs, atol=1e-6)
