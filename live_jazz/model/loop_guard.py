"""The loop guard: a mask on the model's scores that keeps sampling out of dull loops.

Greedy decoding (temperature 0, the exercise's inference) and low temperatures fall into
cycles: the same few values over and over. The guard does two things to the scores (logits)
before they become probabilities:

- Hard blocks. When the next value would complete the ``LOOP_REPEATS``-th straight repetition
  of a block of ``p`` values (``p`` up to ``LOOP_MAX_PERIOD``; a single value may run
  ``LOOP_MAX_RUN`` times), or come back more than ``LOOP_MAX_SHARE`` times in ``LOOP_WINDOW``
  values, its score becomes -inf (argmax then picks the next best). A motif may be stated and
  restated, as players do, but not looped. It is a few vectorized compares a step: for every
  period ``p`` a counter of how long the history has matched itself ``p`` values back.
- Below temperature 1, a repetition penalty: each value's score is lowered by
  ``LOOP_PENALTY * (1 - temperature)`` for each time it sounded in the last
  ``LOOP_WINDOW - 1`` values. Sharpening the distribution is what makes low temperatures loop,
  so the penalty grows as the temperature falls and is gone from 1 up, where the model's own
  distribution is sampled untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import DTypeLike

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
class GuardState:
    """A copy of the guard's history."""

    recent: np.ndarray
    runs: np.ndarray


class LoopGuard:
    """The history of values played and the mask it puts on the next scores."""

    def __init__(self, n_values: int, dtype: DTypeLike = np.float32) -> None:
        self.n_values = n_values
        self.enabled = True
        """Off: ``mask`` leaves the scores alone (history is still kept)."""
        periods = np.arange(1, LOOP_MAX_PERIOD + 1)
        # _recent[k] is the value k + 1 steps back; _runs[p - 1] counts how many values in a
        # row matched the value p steps before them; _counts counts each value among the last
        # LOOP_WINDOW - 1 and _crowded holds those already LOOP_MAX_SHARE times.
        self._recent = np.full(max(LOOP_MAX_PERIOD, LOOP_WINDOW), -1, np.int64)
        self._runs = np.zeros(LOOP_MAX_PERIOD, np.int64)
        # Appending x completes r copies of a p-block iff the last r*p - p - 1 values already
        # matched p back and x equals the value p back.
        repeats = np.where(periods == 1, LOOP_MAX_RUN + 1, LOOP_REPEATS)
        self._run_limits = repeats * periods - periods - 1
        self._matches = np.zeros(LOOP_MAX_PERIOD, bool)
        self._guarded = np.zeros(LOOP_MAX_PERIOD, bool)
        self._counts = np.zeros(n_values, dtype)
        self._penalty = np.zeros(n_values, dtype)
        self._crowded: set[int] = set()

    def reset(self) -> None:
        """Forget the history."""
        self._recent.fill(-1)
        self._runs.fill(0)
        self._counts.fill(0.0)
        self._crowded = set()

    def snapshot(self) -> GuardState:
        return GuardState(self._recent.copy(), self._runs.copy())

    def restore(self, state: GuardState) -> None:
        np.copyto(self._recent, state.recent)
        np.copyto(self._runs, state.runs)
        recent = self._recent[: LOOP_WINDOW - 1]
        self._counts[:] = np.bincount(recent[recent >= 0], minlength=self.n_values)
        self._crowded = set(np.flatnonzero(self._counts >= LOOP_MAX_SHARE).tolist())

    def push(self, index: int) -> None:
        """Value ``index`` was played (or heard)."""
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

    def blocked(self) -> list[int]:
        """The values forbidden next (empty if none, or if the guard is off)."""
        if not self.enabled:
            return []
        found: set[int] = set()
        np.greater_equal(self._runs, self._run_limits, out=self._guarded)
        if self._guarded.any():
            found.update(self._recent[:LOOP_MAX_PERIOD][self._guarded].tolist())
        found.update(self._crowded)
        return sorted(found) if len(found) < self.n_values else []

    def _due(self) -> bool:
        """Whether some value may be blocked (the cheap half of ``blocked``)."""
        if self._crowded:
            return True
        np.greater_equal(self._runs, self._run_limits, out=self._guarded)
        return bool(self._guarded.any())

    def mask(self, scores: np.ndarray, temperature: float) -> list[int]:
        """Apply the penalty and the blocks to ``scores`` in place; return the blocked values."""
        if not self.enabled:
            return []
        if temperature < 1.0:
            np.multiply(self._counts, LOOP_PENALTY * (1.0 - max(temperature, 0.0)),
                        out=self._penalty)
            np.subtract(scores, self._penalty, out=scores)
        blocked = self.blocked() if self._due() else []
        if blocked:
            scores[blocked] = -np.inf
        return blocked
