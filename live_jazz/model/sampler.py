"""The stateful one-step sampler: the live path's LSTM, on numpy, keeping ``a`` and ``c``.

Never imports TensorFlow or Keras, directly or through another module (a test checks it in a
fresh interpreter). The arithmetic is Keras' LSTM cell (gates i, f, c, o) on the exported
arrays, rearranged once at construction so that a step is a handful of ufunc calls on
preallocated buffers:

- the input is a value index, so ``x @ kernel + bias`` is one precomputed row;
- the gates are reordered to (i, f, o, g) and the sigmoid gates' columns are scaled by 1/2, so
  one ``tanh`` over all four gates gives every gate: ``sigmoid(x) = (tanh(x / 2) + 1) / 2``;
- every intermediate lives in a buffer allocated once; no array is allocated in a step.

Float32 by default, the precision the model was trained in: the output-layer product is the
largest single operation of a step and float32 halves it (a sampled step measured about 10%
faster than in float64); parity with the Keras reference holds in both (tested), and the LSTM's
bounded state does not accumulate rounding over long runs (tested by the long-run statistics).

Dull loops
----------
Greedy decoding (temperature 0, the exercise's inference) and low temperatures fall into
cycles: the same few values over and over (the shipped weights, greedy, play one value,
a scale-tone eighth a semitone up, for ever). The *loop guard* (on by default, ``loop_guard``)
does two things:

- Hard blocks. When the next value would complete the ``LOOP_REPEATS``-th straight repetition
  of a block of ``p`` values (``p`` up to ``LOOP_MAX_PERIOD``; a single value may run
  ``LOOP_MAX_RUN`` times), or come back more than ``LOOP_MAX_SHARE`` times in ``LOOP_WINDOW``
  values, it is taken out of the distribution before sampling (the rest renormalized; argmax
  then picks the next best). A motif may be stated and restated, as players do, but not
  looped. It is a few vectorized compares a step: for every period ``p`` a counter of how long
  the history has matched itself ``p`` values back.
- Below temperature 1, a repetition penalty: each value's score (log-probability) is lowered
  by ``LOOP_PENALTY * (1 - temperature)`` for each time it sounded in the last
  ``LOOP_WINDOW - 1`` values. Sharpening the distribution is what makes low temperatures loop,
  so the penalty grows as the temperature falls and is gone from 1 up, where the model's own
  distribution is sampled untouched. Blocks alone leave greedy decoding alternating between
  two or three values; with the penalty it plays lines (a test shows both).

Long runs
---------
The weights are trained with truncated backpropagation through time that carries the state
across the windows of each solo, so the model runs on from any state rather than only from the
zero state of a fresh window. ``bench sampler`` and a test measure the output statistics over
thousands of steps (``long_run_stats``); no re-priming is needed (see the README for figures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from live_jazz.encoding import COUNT_IN, Role, Value
from live_jazz.model.bundle import Weights

LOOP_MAX_PERIOD = 32
"""Longest cycle (in values) the loop guard looks for: two bars of sixteenths."""
LOOP_REPEATS = 3
"""A block of two or more values may not be played this many times in a row."""
LOOP_MAX_RUN = 6
"""A single value may not be repeated more than this many times in a row."""
LOOP_WINDOW = 16
"""The span (in values) over which the loop guard limits how often one value comes back ..."""
LOOP_MAX_SHARE = 8
"""... to at most this many times in any LOOP_WINDOW values in a row."""
LOOP_PENALTY = 1.0
"""Nats taken off a value's score per recent occurrence, times (1 - temperature), below
temperature 1."""


@dataclass(frozen=True)
class SamplerState:
    """A copy of everything a sampler's future depends on (besides its random generator)."""

    a: np.ndarray
    c: np.ndarray
    recent: np.ndarray
    runs: np.ndarray


class Sampler:
    """One value at a time from the trained LSTM, keeping its hidden and cell state.

    ``temperature`` (0 = argmax) and ``top_p`` (nucleus sampling; 1 = off) may be changed at
    any time and apply to the next distribution; so may ``loop_guard``. ``rng`` is the only
    source of randomness. ``dtype`` is the arithmetic's float type.
    """

    def __init__(
        self,
        weights: Weights,
        rng: np.random.Generator,
        temperature: float = 1.0,
        top_p: float = 1.0,
        loop_guard: bool = True,
        dtype: type = np.float32,
    ) -> None:
        arrays = weights.arrays
        self.weights = weights
        self.vocabulary = weights.vocabulary
        self.rng = rng
        self.temperature = temperature
        self.top_p = top_p
        self.loop_guard = loop_guard
        n = arrays.n_a
        self.dtype = float_type = np.dtype(dtype)
        order = np.r_[0:n, n : 2 * n, 3 * n : 4 * n, 2 * n : 3 * n]  # (i, f, o, g)
        scale = np.r_[np.full(3 * n, 0.5), np.ones(n)]
        inputs = (arrays.kernel[:, order] + arrays.bias[order]) * scale
        self._inputs = np.ascontiguousarray(inputs, float_type)
        recurrent = arrays.recurrent_kernel[:, order] * scale
        self._recurrent = np.ascontiguousarray(recurrent, float_type)
        self._dense = np.ascontiguousarray(arrays.dense_kernel, float_type)
        self._dense_bias = np.ascontiguousarray(arrays.dense_bias, float_type)
        self.n_values = arrays.n_values
        self.n_a = n

        self._a = np.zeros(n, float_type)
        self._c = np.zeros(n, float_type)
        self._z = np.zeros(4 * n, float_type)
        self._tmp = np.zeros(n, float_type)
        self._sig = self._z[: 3 * n]
        self._i, self._f, self._o, self._g = (self._z[k * n : (k + 1) * n] for k in range(4))
        self._scores = np.zeros(self.n_values, float_type)
        self._weights = np.zeros(self.n_values, float_type)  # unnormalized probabilities
        self._cum = np.zeros(self.n_values, float_type)
        self._a_view = self._a.view()
        self._a_view.flags.writeable = False
        self._c_view = self._c.view()
        self._c_view.flags.writeable = False

        # Loop guard. _recent[k] is the value k + 1 steps back; _runs[p - 1] counts how many
        # values in a row matched the value p steps before them; _counts counts each value
        # among the last LOOP_WINDOW - 1 and _crowded holds those already LOOP_MAX_SHARE times.
        periods = np.arange(1, LOOP_MAX_PERIOD + 1)
        self._recent = np.full(max(LOOP_MAX_PERIOD, LOOP_WINDOW), -1, np.int64)
        self._runs = np.zeros(LOOP_MAX_PERIOD, np.int64)
        # Appending x completes r copies of a p-block iff the last r*p - p - 1 values already
        # matched p back and x equals the value p back.
        repeats = np.where(periods == 1, LOOP_MAX_RUN + 1, LOOP_REPEATS)
        self._run_limits = repeats * periods - periods - 1
        self._matches = np.zeros(LOOP_MAX_PERIOD, bool)
        self._guarded = np.zeros(LOOP_MAX_PERIOD, bool)
        self._counts = np.zeros(self.n_values, float_type)
        self._penalty = np.zeros(self.n_values, float_type)
        self._crowded: set[int] = set()

        self._count_in = self.vocabulary.index(COUNT_IN)
        self._is_rest = np.array([v.is_rest for v in self.vocabulary.values])
        self._is_chord_tone = np.array([v.role == Role.CHORD for v in self.vocabulary.values])
        self.last_entropy = 0.0
        """Entropy (nats) of the distribution the last sampled value was drawn from."""
        self.last_top_probability = 0.0
        """Probability of the most likely value in that distribution."""
        self.last_blocked = 0
        """How many values the loop guard took out of that distribution."""
        self.reset()

    # -- state ------------------------------------------------------------------------------

    @property
    def a(self) -> np.ndarray:
        """The hidden state (a read-only view that follows the sampler)."""
        return self._a_view

    @property
    def c(self) -> np.ndarray:
        """The cell state (a read-only view that follows the sampler)."""
        return self._c_view

    def reset(self) -> None:
        """Back to the start of a solo: zero state, then the count-in bar every solo starts
        from in training."""
        self._a.fill(0.0)
        self._c.fill(0.0)
        self._recent.fill(-1)
        self._runs.fill(0)
        self._counts.fill(0.0)
        self._crowded = set()
        self.observe(self._count_in)

    def snapshot(self) -> SamplerState:
        """A copy of the state (``restore`` brings it back)."""
        return SamplerState(self._a.copy(), self._c.copy(), self._recent.copy(),
                            self._runs.copy())

    def restore(self, state: SamplerState) -> None:
        """Return to a snapshot (copied in place: views of ``a`` and ``c`` stay valid)."""
        np.copyto(self._a, state.a)
        np.copyto(self._c, state.c)
        np.copyto(self._recent, state.recent)
        np.copyto(self._runs, state.runs)
        recent = self._recent[: LOOP_WINDOW - 1]
        self._counts[:] = np.bincount(recent[recent >= 0], minlength=self.n_values)
        self._crowded = set(np.flatnonzero(self._counts >= LOOP_MAX_SHARE).tolist())

    # -- one step ---------------------------------------------------------------------------

    def observe(self, index: int) -> None:
        """Feed value ``index`` (played by it or heard from a human) without sampling."""
        z = self._z
        np.dot(self._a, self._recurrent, out=z)
        np.add(z, self._inputs[index], out=z)
        np.tanh(z, out=z)
        np.multiply(self._sig, 0.5, out=self._sig)
        np.add(self._sig, 0.5, out=self._sig)
        c, tmp = self._c, self._tmp
        np.multiply(self._f, c, out=c)
        np.multiply(self._i, self._g, out=tmp)
        np.add(c, tmp, out=c)
        np.tanh(c, out=tmp)
        np.multiply(self._o, tmp, out=self._a)
        # Loop-guard bookkeeping.
        recent = self._recent
        np.equal(recent[:LOOP_MAX_PERIOD], index, out=self._matches)
        np.add(self._runs, 1, out=self._runs)
        np.multiply(self._runs, self._matches, out=self._runs)
        counts = self._counts
        leaving = int(recent[LOOP_WINDOW - 2])
        if leaving >= 0:
            counts[leaving] -= 1.0
            if counts[leaving] == LOOP_MAX_SHARE - 1:
                self._crowded.discard(leaving)
        counts[index] += 1.0
        if counts[index] == LOOP_MAX_SHARE:
            self._crowded.add(index)
        recent[1:] = recent[:-1]
        recent[0] = index

    def observe_value(self, value: Value) -> None:
        """Feed a value (an unknown one as its nearest known value)."""
        self.observe(self.vocabulary.index(value))

    def blocked(self) -> list[int]:
        """The values the loop guard forbids next (empty if none, or if the guard is off)."""
        if not self.loop_guard:
            return []
        found: set[int] = set()
        np.greater_equal(self._runs, self._run_limits, out=self._guarded)
        if self._guarded.any():
            found.update(self._recent[: LOOP_MAX_PERIOD][self._guarded].tolist())
        found.update(self._crowded)
        return sorted(found) if len(found) < self.n_values else []

    def _distribution(self, bias: np.ndarray | None = None) -> tuple[int, float]:
        """Fill ``_weights`` with the unnormalized next-value distribution (exactly one 1.0
        at the most likely value) and, unless the temperature is 0, ``_cum`` with their
        running sum; return that value and the sum of the weights. ``bias`` (finite) is added
        to the model's log-probabilities first. Sets ``last_entropy``,
        ``last_top_probability`` and ``last_blocked``."""
        scores = self._scores
        np.dot(self._a, self._dense, out=scores)
        np.add(scores, self._dense_bias, out=scores)
        if bias is not None:
            np.add(scores, bias, out=scores)
        if self.loop_guard and self.temperature < 1.0:
            penalty = self._penalty
            np.multiply(self._counts, LOOP_PENALTY * (1.0 - max(self.temperature, 0.0)),
                        out=penalty)
            np.subtract(scores, penalty, out=scores)
        blocked = self.blocked() if self._crowded or self._guard_due() else []
        if blocked:
            scores[blocked] = -np.inf
        self.last_blocked = len(blocked)
        best = int(scores.argmax())
        weights = self._weights
        if self.temperature <= 0.0:
            weights.fill(0.0)
            weights[best] = 1.0
            self.last_entropy = 0.0
            self.last_top_probability = 1.0
            return best, 1.0
        np.subtract(scores, scores[best], out=scores)
        if self.temperature != 1.0:
            np.multiply(scores, 1.0 / self.temperature, out=scores)
        np.exp(scores, out=weights)
        if self.top_p < 1.0:
            total = self._nucleus(weights)
            np.add.accumulate(weights, out=self._cum)
            return best, total
        cum = self._cum
        np.add.accumulate(weights, out=cum)
        total = float(cum[-1])
        if blocked:
            scores[blocked] = 0.0  # 0 * -inf: their weight is 0 anyway
        # H = log(sum e^s) - sum(e^s * s) / sum(e^s), with the best score s = 0.
        self.last_entropy = math.log(total) - float(np.dot(weights, scores)) / total
        self.last_top_probability = 1.0 / total
        return best, total

    def _guard_due(self) -> bool:
        """Whether some period's run reached its limit (the cheap half of ``blocked``)."""
        if not self.loop_guard:
            return False
        np.greater_equal(self._runs, self._run_limits, out=self._guarded)
        return bool(self._guarded.any())

    def _nucleus(self, weights: np.ndarray) -> float:
        """Keep the smallest set of most likely values whose mass reaches ``top_p``; return
        the kept mass."""
        order = np.argsort(-weights, kind="stable")
        cumulative = np.cumsum(weights[order])
        keep = int(np.searchsorted(cumulative, max(self.top_p, 0.0) * cumulative[-1])) + 1
        weights[order[keep:]] = 0.0
        kept = weights[order[:keep]]
        total = float(kept.sum())
        p = kept / total
        self.last_entropy = float(-np.dot(p, np.log(p)))
        self.last_top_probability = float(p[0])
        return total

    def probabilities(self) -> np.ndarray:
        """The next-value distribution at the current temperature, top-p and loop guard (a new
        array; the state does not move)."""
        _, total = self._distribution()
        return self._weights / total

    def sample(self, bias: np.ndarray | None = None) -> int:
        """Draw the next value's index and feed it back (the state advances). ``bias``: an
        additive log-probability bias over the vocabulary (an answer's pull toward its call)."""
        best, total = self._distribution(bias)
        if self.temperature <= 0.0:
            index = best
        else:
            cum = self._cum
            index = int(cum.searchsorted(self.rng.random() * cum[-1], "right"))
            if index >= self.n_values or self._weights[index] == 0.0:
                index = best  # rounding at the very top of the cumulative sum
        self.observe(index)
        return index

    def sample_value(self) -> Value:
        """``sample`` as a value."""
        return self.vocabulary.values[self.sample()]

    # -- statistics -------------------------------------------------------------------------

    def is_rest(self, index: int) -> bool:
        """Whether value ``index`` is a rest."""
        return bool(self._is_rest[index])

    def is_chord_tone(self, index: int) -> bool:
        """Whether value ``index`` is a chord-tone note."""
        return bool(self._is_chord_tone[index])


@dataclass(frozen=True)
class RunStats:
    """Output statistics of a stretch of sampled values."""

    entropy: float
    """Mean entropy (nats) of the distributions sampled from."""
    rest_share: float
    """Share of rest values."""
    chord_tone_share: float
    """Share of chord-tone note values."""

    def as_dict(self) -> dict[str, float]:
        return {"entropy": self.entropy, "rest_share": self.rest_share,
                "chord_tone_share": self.chord_tone_share}


@dataclass(frozen=True)
class LongRunReport:
    """Statistics of the first ``window`` values of many runs beside those of ``window`` values
    from step ``late_start`` on."""

    early: RunStats
    late: RunStats
    window: int
    late_start: int
    runs: int

    def relative_changes(self) -> dict[str, float]:
        """|late - early| / early for each statistic."""
        early, late = self.early.as_dict(), self.late.as_dict()
        return {k: abs(late[k] - early[k]) / early[k] if early[k] else float(late[k] != 0)
                for k in early}

    def within(self, tolerance: float = 0.1) -> bool:
        """Whether every statistic stays within ``tolerance`` (relative) of the early one."""
        return all(change <= tolerance for change in self.relative_changes().values())


def long_run_stats(
    weights: Weights,
    seed: int = 0,
    runs: int = 16,
    steps: int = 2200,
    window: int = 200,
    temperature: float = 1.0,
) -> LongRunReport:
    """Sample ``runs`` independent streams of ``steps`` values with ``Sampler`` from a reset and
    compare the statistics of the first ``window`` values with those of the last ``window``."""
    if steps < 2 * window:
        raise ValueError(f"steps ({steps}) must be at least twice the window ({window})")
    seeds = np.random.SeedSequence(seed).spawn(runs)
    shape = (runs, window)
    entropy = np.zeros((2, *shape))
    rest = np.zeros((2, *shape), bool)
    chord = np.zeros((2, *shape), bool)
    late_start = steps - window
    for run, run_seed in enumerate(seeds):
        sampler = Sampler(weights, np.random.default_rng(run_seed), temperature=temperature)
        for step in range(steps):
            if window <= step < late_start:
                sampler.sample()
                continue
            part, k = (0, step) if step < window else (1, step - late_start)
            index = sampler.sample()
            entropy[part, run, k] = sampler.last_entropy
            rest[part, run, k] = sampler.is_rest(index)
            chord[part, run, k] = sampler.is_chord_tone(index)
    stats = [RunStats(float(entropy[p].mean()), float(rest[p].mean()), float(chord[p].mean()))
             for p in (0, 1)]
    return LongRunReport(stats[0], stats[1], window, late_start, runs)
