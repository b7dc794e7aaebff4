"""The answer's pull on the model: an additive log-probability bias over the vocabulary.

The LSTM still samples every value of an answer; ``AnswerBias`` only tilts its distribution
toward a plan drawn from the call (``answer_styles``), from the decoder's context at each step
(where the value starts, the previous pitch). Roles are never biased, so the harmony is the
model's own; what is biased is what a player takes from a call:

- rhythm: a plan gives each tick of the answer a chance that a note starts there. A value is
  scored by that rhythm's log-likelihood (a note starting here or a rest, and no onset in the
  ticks it covers) against a flat rhythm of the same density;
- intervals: each motion class by the share the plan gives it, against a uniform share;
- register: a note's expected landing pitch (its motion from the previous pitch), by how much
  nearer the plan's register it gets;
- the copy guard: a value whose pitch follows exactly (a step or a repeat) and would land on one
  of the call's notes at the same place in the bar is taken out (what the call played is
  stated anew, not copied).

Pure arithmetic on arrays prepared once per answer; a step costs a few vectorized operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from live_jazz.encoding import DURATIONS, MOTIONS, START, Vocabulary

GUARDED = -30.0
"""Bias of a value the copy guard takes out (finite: the sampler's arithmetic stays exact)."""
CHANCE_RANGE = (0.02, 0.95)
"""A planned onset chance is kept inside this range: no tick is certain or impossible."""
N_MOTIONS = len(MOTIONS)


@dataclass(frozen=True)
class BiasWeights:
    """How hard the answer is pulled toward its plan (nats per unit of each score).

    Chosen on calls from the shipped weights' training solos (the first four bars with notes of
    150 of them, two seeds), never on the validation calls: with ``auto`` there, relatedness
    rhythm +0.12, intervals +0.08, register +0.28 (real players +0.07, +0.05, +0.23) and chord
    tones on the beat 0.50 against solo mode's 0.52. Weaker pulls (rhythm 0.6, intervals 0.8,
    register 0.5) left the register at +0.08; stronger ones (register 3) took the chord tones
    further from solo mode's."""

    rhythm: float = 1.0
    """Times the rhythm's log-likelihood ratio."""
    intervals: float = 0.6
    """Times the log-ratio of the plan's share of a motion class to a uniform share."""
    register: float = 2.0
    """Per 6 semitones a note's expected pitch comes nearer the plan's register."""


class ValueTable:
    """What the bias needs to know of each value of a vocabulary, as arrays."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        values = vocabulary.values
        self.size = len(values)
        self.is_note = np.array([not v.is_rest for v in values])
        self.duration_index = np.array([DURATIONS.index(v.duration) for v in values])
        motion = [MOTIONS.index(v.motion) if v.motion is not None and v.motion != START
                  else -1 for v in values]
        self.motion_index = np.array(motion)
        """Index in MOTIONS, -1 for rests and phrase starts (never biased)."""
        self.has_motion = self.motion_index >= 0
        self.landing = np.array([
            0.0 if v.motion is None or v.motion == START
            else v.motion.direction * (v.motion.low + v.motion.high) / 2.0 for v in values])
        """Expected interval from the previous pitch (the middle of the motion's range)."""
        self.pinned = np.array([v.motion is not None and v.motion != START and v.motion.pins_pitch
                                for v in values])
        """Whether the value's pitch follows exactly from the previous one."""
        self.pinned_interval = np.where(self.pinned, self.landing, 0.0).astype(np.int64)


@dataclass(frozen=True)
class AnswerTargets:
    """What the answer aims at, on the answer's own ticks."""

    start: int
    """Session tick where the answer begins (a bar line)."""
    end: int
    """Where it ends."""
    bar_ticks: int
    """Ticks in a bar."""
    onset_chance: np.ndarray
    """Chance that a note starts at each tick from ``start`` to ``end``."""
    motion_share: np.ndarray
    """Share of each motion class (MOTIONS order) in the plan."""
    register: float
    """The pitch the line should centre on."""
    guarded: frozenset[tuple[int, int]]
    """(pitch, position in the bar) of the call's notes: not to be repeated exactly."""


class AnswerBias:
    """The bias for one answer: call it with (tick, previous pitch) before each step; it
    returns the additive log-probability bias (an array reused by the next call), or None
    outside the answer."""

    def __init__(self, targets: AnswerTargets, table: ValueTable, weights: BiasWeights) -> None:
        self.targets = targets
        self.start, self.end = targets.start, targets.end
        self._table = table
        self._weights = weights
        self._bar = targets.bar_ticks
        chance = np.clip(targets.onset_chance, *CHANCE_RANGE)
        flat = np.full_like(chance, chance.mean())
        self._onset_note = weights.rhythm * (np.log(chance) - np.log(flat))
        self._onset_rest = weights.rhythm * (np.log1p(-chance) - np.log1p(-flat))
        # Ticks a value covers after its onset: running sums of the rest scores (zero past the
        # end, where the answer no longer pulls).
        longest = DURATIONS[-1]
        covered = np.concatenate([self._onset_rest, np.zeros(longest + 1)])
        self._covered = np.concatenate([[0.0], np.cumsum(covered)])
        self._durations = np.array(DURATIONS)
        uniform = 1.0 / N_MOTIONS
        share = np.asarray(targets.motion_share, float)
        motion_bias = weights.intervals * (np.log(np.maximum(share, 1e-3)) - np.log(uniform))
        self._static = np.where(table.has_motion, motion_bias[table.motion_index], 0.0)
        self._guard = np.zeros((self._bar, 128), bool)
        for pitch, position in targets.guarded:
            if 0 <= pitch < 128:
                self._guard[position % self._bar, pitch] = True
        self._out = np.zeros(table.size)

    def __call__(self, tick: int, prev_pitch: int | None) -> np.ndarray | None:
        t = tick - self.start
        if t < 0 or tick >= self.end:
            return None
        table, out = self._table, self._out
        # Rhythm: the onset here, then the ticks the value covers (t + 1 .. t + duration - 1).
        spans = self._covered[t + self._durations] - self._covered[t + 1]
        np.take(spans, table.duration_index, out=out)
        out += np.where(table.is_note, self._onset_note[t], self._onset_rest[t])
        out += self._static
        if prev_pitch is not None:
            distance = abs(prev_pitch - self.targets.register)
            nearer = distance - np.abs(prev_pitch + table.landing - self.targets.register)
            out += np.where(table.has_motion, self._weights.register / 6.0 * nearer, 0.0)
            landing = np.clip(prev_pitch + table.pinned_interval, 0, 127)
            copies = table.pinned & self._guard[t % self._bar][landing]
            out[copies] = GUARDED
        return out
