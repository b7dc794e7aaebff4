"""Fixtures every layer's tests share: a small weights folder made here, so that no test needs the
shipped weights or the corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from live_jazz.encoding import COUNT_IN, MOTIONS, Role, Value, Vocabulary
from live_jazz.encoding.features import GROUP_SIZES, SEED_SPEC, FeatureSpec
from live_jazz.model.arrays import ModelArrays
from live_jazz.model.bundle import VOCABULARY_FILE, Weights, load_weights

TEST_N_A = 16
"""Hidden size of the test weights: small, so that tests run fast."""


def write_random_weights(directory: Path, seed: int = 0, n_a: int = TEST_N_A,
                         features: FeatureSpec = SEED_SPEC) -> Path:
    """A weights folder (arrays + vocabulary + features) with random weights over a small
    vocabulary of eighths, quarters and triplets in every role and motion, plus rests and the
    count-in; reading ``features`` at each step (none: the seed-exact model)."""
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
        feature_kernel=rng.normal(0, 0.5, (features.size, 4 * n_a)),
    )
    directory.mkdir(parents=True, exist_ok=True)
    arrays.save(directory)
    vocabulary.save(directory / VOCABULARY_FILE)
    if features.groups:
        features.save(directory)
    return directory


@pytest.fixture(scope="session")
def random_weights_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A weights folder with random weights (no ``model.keras``): for the live path's tests."""
    return write_random_weights(tmp_path_factory.mktemp("weights"))


@pytest.fixture(scope="session")
def random_weights(random_weights_dir: Path) -> Weights:
    """``random_weights_dir`` loaded."""
    return load_weights(random_weights_dir)


@pytest.fixture(scope="session")
def conditioned_weights_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A weights folder with random weights reading every feature group (no ``model.keras``)."""
    return write_random_weights(tmp_path_factory.mktemp("conditioned"), seed=1,
                                features=FeatureSpec(tuple(GROUP_SIZES)))


@pytest.fixture(scope="session")
def conditioned_weights(conditioned_weights_dir: Path) -> Weights:
    """``conditioned_weights_dir`` loaded."""
    return load_weights(conditioned_weights_dir)


JACKD_COMMAND = ["jackd", "-d", "dummy", "-r", "48000", "-p", "32", "-C", "0", "-P", "0"]
"""A JACK server without a sound card: 32 frames at 48 kHz, a period of 0.67 ms."""
JACK_START_SECONDS = 10.0
"""How long a starting JACK server may take to accept clients."""


@pytest.fixture(scope="session")
def jack_server():
    """A running JACK server for the real-MIDI-port tests: the one already running (CI starts
    ``jackd -d dummy``), else one started here and stopped at the end. Skips, with the reason,
    only where none can be started; with ``LIVE_JAZZ_REQUIRE_JACK=1`` (CI) it fails instead."""
    import os
    import shutil
    import subprocess
    import tempfile
    import time

    from live_jazz.midi_io.backends import jack_server_running

    def unavailable(reason: str) -> None:
        if os.environ.get("LIVE_JAZZ_REQUIRE_JACK") == "1":
            pytest.fail(f"JACK required (LIVE_JAZZ_REQUIRE_JACK=1): {reason}")
        pytest.skip(reason)

    def wait_until_running(process: subprocess.Popen | None) -> bool:
        deadline = time.monotonic() + JACK_START_SECONDS
        while time.monotonic() < deadline:
            if jack_server_running():
                return True
            if process is not None and process.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    if jack_server_running():
        yield
        return
    if shutil.which(JACKD_COMMAND[0]) is None:
        unavailable("no JACK server running and jackd is not installed (Debian: jackd2)")
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        JACKD_COMMAND, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "JACK_NO_AUDIO_RESERVATION": "1"},
    )
    try:
        if not wait_until_running(process):
            log.seek(0)
            tail = " / ".join(log.read().decode(errors="replace").strip().splitlines()[-3:])
            # Another server may have been starting meanwhile (it then owns the socket).
            if not jack_server_running():
                unavailable(f"cannot start `{' '.join(JACKD_COMMAND)}`: {tail or 'no output'}")
        yield
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
