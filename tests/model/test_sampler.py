"""The stateful sampler: state kept between calls, observe, reset, temperature, top-p,
snapshots, the loop guard, features."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.encoding import COUNT_IN
from live_jazz.model.arrays import ARRAYS_FILE
from live_jazz.model.bundle import Weights, default_weights_dir, load_weights
from live_jazz.model.loop_guard import LOOP_MAX_PERIOD, LOOP_MAX_RUN, LOOP_PENALTY, LOOP_REPEATS
from live_jazz.model.sampler import Sampler


def _sampler(weights: Weights, seed: int = 0, **settings) -> Sampler:
    return Sampler(weights, np.random.default_rng(seed), **settings)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _reference_probabilities(weights: Weights, indices: list[int],
                             features: np.ndarray | None = None) -> np.ndarray:
    """Keras' LSTM cell written out plainly in float64, run over ``indices`` from a zero state
    (step k with ``features[k]``, those of the value after ``indices[k]``)."""
    arrays = weights.arrays
    n = arrays.n_a
    a = np.zeros(n)
    c = np.zeros(n)
    for k, index in enumerate(indices):
        x = np.zeros(arrays.n_values)
        x[index] = 1.0
        z = x @ arrays.kernel + a @ arrays.recurrent_kernel + arrays.bias
        if features is not None:
            z = z + features[k] @ arrays.feature_kernel
        c = _sigmoid(z[n : 2 * n]) * c + _sigmoid(z[:n]) * np.tanh(z[2 * n : 3 * n])
        a = _sigmoid(z[3 * n :]) * np.tanh(c)
    scores = a @ arrays.dense_kernel + arrays.dense_bias
    p = np.exp(scores - scores.max())
    return p / p.sum()


def test_the_state_is_kept_between_calls(random_weights: Weights):
    sampler = _sampler(random_weights, loop_guard=False)
    count_in = random_weights.vocabulary.index(COUNT_IN)
    played = [sampler.sample() for _ in range(40)]
    expected = _reference_probabilities(random_weights, [count_in, *played])
    np.testing.assert_allclose(sampler.probabilities(), expected, atol=1e-5)


def test_probabilities_do_not_move_the_state(random_weights: Weights):
    sampler = _sampler(random_weights)
    sampler.sample()
    a = sampler.a.copy()
    first = sampler.probabilities()
    second = sampler.probabilities()
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(sampler.a, a)
    assert first.sum() == pytest.approx(1.0, abs=1e-5)


def test_the_state_is_read_only_from_outside(random_weights: Weights):
    sampler = _sampler(random_weights)
    with pytest.raises(ValueError):
        sampler.a[0] = 1.0
    with pytest.raises(ValueError):
        sampler.c[0] = 1.0


def test_observing_a_phrase_changes_the_distribution(random_weights: Weights):
    sampler = _sampler(random_weights)
    fresh = sampler.probabilities()
    for index in (10, 20, 30, 40):
        sampler.observe(index)
    primed = sampler.probabilities()
    assert np.abs(primed - fresh).sum() > 0.1  # total variation distance above 0.05
    other = _sampler(random_weights)
    for index in (50, 60, 70, 80):
        other.observe(index)
    assert np.abs(other.probabilities() - primed).sum() > 0.1


def test_reset_returns_to_the_initial_distribution(random_weights: Weights):
    sampler = _sampler(random_weights)
    initial = sampler.probabilities()
    for _ in range(100):
        sampler.sample()
    assert not np.allclose(sampler.probabilities(), initial)
    sampler.reset()
    np.testing.assert_array_equal(sampler.probabilities(), initial)


def test_temperature_zero_is_argmax(random_weights: Weights):
    greedy = _sampler(random_weights, temperature=0.0, loop_guard=False)
    for _ in range(100):
        greedy.temperature = 1.0
        expected = int(np.argmax(greedy.probabilities()))
        greedy.temperature = 0.0
        probabilities = greedy.probabilities()
        assert probabilities[expected] == 1.0 and probabilities.sum() == 1.0
        assert greedy.sample() == expected
        assert greedy.last_entropy == 0.0


@pytest.mark.parametrize("temperature", [0.5, 2.0])
def test_temperature_scales_the_log_probabilities(random_weights: Weights, temperature):
    sampler = _sampler(random_weights, loop_guard=False)
    for _ in range(5):
        sampler.sample()
    log_p = np.log(sampler.probabilities().astype(np.float64))
    sampler.temperature = temperature
    expected = np.exp(log_p / temperature)
    expected /= expected.sum()
    np.testing.assert_allclose(sampler.probabilities(), expected, atol=1e-6)


def test_entropy_and_top_probability_describe_the_sampled_distribution(random_weights: Weights):
    sampler = _sampler(random_weights, loop_guard=False)
    p = sampler.probabilities().astype(np.float64)
    sampler.sample()
    assert sampler.last_entropy == pytest.approx(-(p * np.log(p)).sum(), rel=1e-4)
    assert sampler.last_top_probability == pytest.approx(p.max(), rel=1e-4)


@pytest.mark.parametrize("top_p", [0.1, 0.5, 0.9])
def test_top_p_keeps_the_smallest_set_reaching_the_mass(random_weights: Weights, top_p):
    sampler = _sampler(random_weights, loop_guard=False)
    full = sampler.probabilities().astype(np.float64)
    sampler.top_p = top_p
    nucleus = sampler.probabilities()
    kept = np.flatnonzero(nucleus)
    order = np.argsort(-full)
    assert set(kept) == set(order[: len(kept)])
    assert full[kept].sum() >= top_p - 1e-6
    assert full[order[: len(kept) - 1]].sum() < top_p
    np.testing.assert_allclose(nucleus[kept], full[kept] / full[kept].sum(), rtol=1e-5)
    state = sampler.snapshot()
    for _ in range(50):
        sampler.restore(state)
        assert nucleus[sampler.sample()] > 0


def test_a_seed_gives_the_same_values(random_weights: Weights):
    a, b = _sampler(random_weights, seed=4), _sampler(random_weights, seed=4)
    assert [a.sample() for _ in range(300)] == [b.sample() for _ in range(300)]


def test_snapshot_and_restore_replay_the_future(random_weights: Weights):
    sampler = _sampler(random_weights)
    for _ in range(50):
        sampler.sample()
    state = sampler.snapshot()
    rng_state = sampler.rng.bit_generator.state
    a_view = sampler.a
    future = [sampler.sample() for _ in range(80)]
    sampler.restore(state)
    sampler.rng.bit_generator.state = rng_state
    assert [sampler.sample() for _ in range(80)] == future
    assert a_view is sampler.a  # views handed out earlier follow the restored state


def _longest_repetition(values: list[int], period: int) -> int:
    """How many times in a row a block of ``period`` values is repeated, at most."""
    best = run = 0
    for i in range(period, len(values)):
        run = run + 1 if values[i] == values[i - period] else 0
        best = max(best, run)
    return 1 + best // period


def test_greedy_decoding_loops_without_the_guard_and_not_with_it(random_weights: Weights):
    unguarded = _sampler(random_weights, temperature=0.0, loop_guard=False)
    dull = [unguarded.sample() for _ in range(400)]
    # The exercise's failure: a short cycle, forever.
    assert any(_longest_repetition(dull[100:], p) >= 50 for p in range(1, 9))

    guarded = _sampler(random_weights, temperature=0.0)
    values = [guarded.sample() for _ in range(400)]
    assert max(_longest_repetition(values, 1), 1) <= LOOP_MAX_RUN
    for period in range(2, LOOP_MAX_PERIOD + 1):
        assert _longest_repetition(values, period) < LOOP_REPEATS, period
    assert len(set(values[100:])) >= 3 * len(set(dull[100:]))


def test_the_guard_blocks_the_value_that_would_complete_a_loop(random_weights: Weights):
    sampler = _sampler(random_weights, temperature=0.0)
    for _ in range(LOOP_REPEATS - 1):
        sampler.observe(5)
        sampler.observe(9)
    sampler.observe(5)
    assert sampler.blocked() == [9]
    assert sampler.sample() != 9
    assert sampler.last_blocked == 1


def _observed(weights: Weights, indices: list[int], **settings) -> Sampler:
    sampler = _sampler(weights, **settings)
    for index in indices:
        sampler.observe(index)
    return sampler


@pytest.mark.parametrize("temperature", [1.0, 1.5])
def test_from_temperature_one_up_the_guard_leaves_the_distribution_alone(
    random_weights: Weights, temperature
):
    phrase = [5, 9, 5, 12, 7, 5]  # repetition, but no loop due
    guarded = _observed(random_weights, phrase, temperature=temperature)
    free = _observed(random_weights, phrase, temperature=temperature, loop_guard=False)
    np.testing.assert_array_equal(guarded.probabilities(), free.probabilities())


@pytest.mark.parametrize("temperature", [0.25, 0.5, 0.9])
def test_below_temperature_one_recent_values_are_penalized(random_weights: Weights, temperature):
    phrase = [5, 9, 5, 12, 7, 5]  # 5 three times, 9 once, 30 never
    guarded = _observed(random_weights, phrase, temperature=temperature).probabilities()
    free = _observed(random_weights, phrase, temperature=temperature,
                     loop_guard=False).probabilities()
    # Log-odds against a value not heard drop by penalty * (1 - T) / T per occurrence.
    per_occurrence = LOOP_PENALTY * (1 - temperature) / temperature
    for index, times in ((5, 3), (9, 1), (31, 0)):
        drop = np.log(free[index] / free[30]) - np.log(guarded[index] / guarded[30])
        assert drop == pytest.approx(times * per_occurrence, rel=1e-3, abs=1e-4)


@pytest.mark.slow
def test_the_shipped_weights_loop_when_greedy_and_play_lines_with_the_guard():
    directory = default_weights_dir()
    if not (directory / ARRAYS_FILE).is_file():
        pytest.skip(f"no shipped weights in {directory}")
    weights = load_weights(directory)
    dull = _sampler(weights, temperature=0.0, loop_guard=False)
    guarded = _sampler(weights, temperature=0.0)
    plain = [dull.sample() for _ in range(400)][100:]
    lines = [guarded.sample() for _ in range(400)][100:]
    assert len(set(plain)) <= 3  # the exercise's greedy inference: one value, over and over
    assert len(set(lines)) >= 5 * len(set(plain))
    for period in range(1, LOOP_MAX_PERIOD + 1):
        limit = LOOP_MAX_RUN if period == 1 else LOOP_REPEATS - 1
        assert _longest_repetition(lines, period) <= limit


def test_features_enter_every_step(random_weights: Weights, conditioned_weights: Weights):
    rng = np.random.default_rng(2)
    width = conditioned_weights.features.size
    rows = rng.integers(0, 2, (41, width)).astype(np.float32)
    sampler = _sampler(conditioned_weights, loop_guard=False, dtype=np.float64)
    played = [sampler.sample(rows[k]) for k in range(40)]
    count_in = conditioned_weights.vocabulary.index(COUNT_IN)
    expected = _reference_probabilities(conditioned_weights, [count_in, *played], rows)
    np.testing.assert_allclose(sampler.probabilities(rows[40]), expected, atol=1e-9)
    other = sampler.probabilities(1.0 - rows[40])
    assert np.abs(other - expected).sum() > 0.1  # the features matter


def test_a_logit_bias_shifts_the_distribution(random_weights: Weights):
    sampler = _sampler(random_weights, loop_guard=False)
    plain = sampler.probabilities().astype(np.float64)
    bias = np.zeros(sampler.n_values, np.float32)
    bias[7] = 1.0
    nudged = sampler.probabilities(bias=bias).astype(np.float64)
    assert np.log(nudged[7] / nudged[3]) - np.log(plain[7] / plain[3]) == pytest.approx(
        1.0, abs=1e-4)
