"""The stateful one-step sampler: the live path's LSTM, on numpy, keeping ``a`` and ``c``.

Never imports TensorFlow or Keras, directly or through another module (a test checks it in a
fresh interpreter). The step is ``model.lstm.LstmCell`` on preallocated buffers: no array is
allocated in a step.

The LSTM's input at each step is the value just played *and the features of the value about
to be chosen* (where it starts in the bar, the harmony there against the previous pitch, the
register, the tempo: ``encoding.features``). Those are known only once the previous value has
been decoded into a pitch, so the sampler keeps the last value *pending* and feeds it together
with the next value's features when that value is sampled (``sample``) or heard (``observe``).
A values-only (seed-exact) model takes no features and computes exactly the exercise's steps.

One place turns scores into probabilities (``_distribution``): the model's logits, plus a
caller's ``bias`` if given (an answer's pull toward its call's material), then the loop guard's
mask (``model.loop_guard``), then temperature and top-p.

Float32 by default, the precision the model was trained in: the output-layer product is the
largest single operation of a step and float32 halves it; parity with the Keras reference holds
in both (tested), and the LSTM's bounded state does not accumulate rounding over long runs
(``live-jazz bench sampler`` measures the long-run statistics).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from live_jazz.encoding import COUNT_IN, Value
from live_jazz.model.bundle import Weights
from live_jazz.model.loop_guard import GuardState, LoopGuard
from live_jazz.model.lstm import LstmCell


@dataclass(frozen=True)
class SamplerState:
    """A copy of everything a sampler's future depends on (besides its random generator)."""

    a: np.ndarray
    c: np.ndarray
    pending: int
    """The value played or heard last, not yet fed to the LSTM."""
    guard: GuardState


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
        self.weights = weights
        self.vocabulary = weights.vocabulary
        self.rng = rng
        self.temperature = temperature
        self.top_p = top_p
        self.cell = LstmCell(weights.arrays, dtype)
        self.dtype = float_type = self.cell.dtype
        self.n_values = self.cell.n_values
        self.n_a = self.cell.n_a
        self.n_features = self.cell.n_features
        self.guard = LoopGuard(self.n_values, float_type)
        self.loop_guard = loop_guard

        self._a, self._c = self.cell.zero_state()
        self._a_next, self._c_next = self.cell.zero_state()
        self._no_features = np.zeros(self.n_features, float_type)
        self._scores = np.zeros(self.n_values, float_type)
        self._weights = np.zeros(self.n_values, float_type)  # unnormalized probabilities
        self._cum = np.zeros(self.n_values, float_type)
        self._a_view = self._a.view()
        self._a_view.flags.writeable = False
        self._c_view = self._c.view()
        self._c_view.flags.writeable = False
        self._count_in = self.vocabulary.index(COUNT_IN)
        self._pending = self._count_in
        self.last_entropy = 0.0
        """Entropy (nats) of the distribution the last sampled value was drawn from."""
        self.last_top_probability = 0.0
        """Probability of the most likely value in that distribution."""
        self.last_blocked = 0
        """How many values the loop guard took out of that distribution."""
        self.reset()

    # -- state ------------------------------------------------------------------------------

    @property
    def loop_guard(self) -> bool:
        """Whether the loop guard masks the scores."""
        return self.guard.enabled

    @loop_guard.setter
    def loop_guard(self, on: bool) -> None:
        self.guard.enabled = bool(on)

    @property
    def a(self) -> np.ndarray:
        """The hidden state the last value was drawn from (a read-only view that follows the
        sampler)."""
        return self._a_view

    @property
    def c(self) -> np.ndarray:
        """The cell state (a read-only view that follows the sampler)."""
        return self._c_view

    def reset(self) -> None:
        """Back to the start of a solo: zero state, the count-in bar every solo starts from in
        training pending."""
        self._a.fill(0.0)
        self._c.fill(0.0)
        self.guard.reset()
        self.guard.push(self._count_in)
        self._pending = self._count_in

    def snapshot(self) -> SamplerState:
        """A copy of the state (``restore`` brings it back)."""
        return SamplerState(self._a.copy(), self._c.copy(), self._pending, self.guard.snapshot())

    def restore(self, state: SamplerState) -> None:
        """Return to a snapshot (copied in place: views of ``a`` and ``c`` stay valid)."""
        np.copyto(self._a, state.a)
        np.copyto(self._c, state.c)
        self._pending = state.pending
        self.guard.restore(state.guard)

    # -- one step ---------------------------------------------------------------------------

    def _features(self, features: np.ndarray | None) -> np.ndarray:
        return self._no_features if features is None else features

    def observe(self, index: int, features: np.ndarray | None = None) -> None:
        """Value ``index`` was played or heard (not sampled); ``features`` are its own."""
        self.cell.step(self._pending, self._features(features), self._a, self._c,
                       self._a, self._c)
        self.guard.push(index)
        self._pending = index

    def observe_value(self, value: Value, features: np.ndarray | None = None) -> None:
        """Feed a value (an unknown one as its nearest known value)."""
        self.observe(self.vocabulary.index(value), features)

    def blocked(self) -> list[int]:
        """The values the loop guard forbids next (empty if none, or if the guard is off)."""
        return self.guard.blocked()

    def _distribution(self, features: np.ndarray | None,
                      bias: np.ndarray | None = None) -> tuple[int, float]:
        """Step the LSTM into the scratch state and fill ``_weights`` with the unnormalized
        next-value distribution (exactly one 1.0 at the most likely value) and, unless the
        temperature is 0, ``_cum`` with their running sum; return that value and the sum of
        the weights. ``bias`` (finite, (n_values,)) is added to the model's scores first. Sets
        ``last_entropy``, ``last_top_probability`` and ``last_blocked``."""
        self.cell.step(self._pending, self._features(features), self._a, self._c,
                       self._a_next, self._c_next)
        scores = self._scores
        self.cell.logits(self._a_next, scores)
        if bias is not None:
            np.add(scores, bias, out=scores)
        blocked = self.guard.mask(scores, self.temperature)
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

    def probabilities(self, features: np.ndarray | None = None,
                      bias: np.ndarray | None = None) -> np.ndarray:
        """The next value's distribution given its ``features`` (and ``bias``), at the current
        temperature, top-p and loop guard (a new array; the state does not move)."""
        _, total = self._distribution(features, bias)
        return self._weights / total

    def sample(self, features: np.ndarray | None = None,
               bias: np.ndarray | None = None) -> int:
        """Draw the next value's index given its ``features``; the state advances. ``bias``: an
        additive log-probability bias over the vocabulary (an answer's pull toward its call)."""
        best, total = self._distribution(features, bias)
        if self.temperature <= 0.0:
            index = best
        else:
            cum = self._cum
            index = int(cum.searchsorted(self.rng.random() * cum[-1], "right"))
            if index >= self.n_values or self._weights[index] == 0.0:
                index = best  # rounding at the very top of the cumulative sum
        np.copyto(self._a, self._a_next)
        np.copyto(self._c, self._c_next)
        self.guard.push(index)
        self._pending = index
        return index

    def sample_value(self, features: np.ndarray | None = None) -> Value:
        """``sample`` as a value."""
        return self.vocabulary.values[self.sample(features)]
