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

from live_jazz.encoding import DURATIONS, MOTIONS, START, TICKS_PER_BEAT, Role, Vocabulary

GUARDED = -30.0
"""Bias of a value the copy guard takes out (finite: the sampler's arithmetic stays exact)."""
CHANCE_RANGE = (0.005, 0.95)
"""A planned onset chance is kept inside this range: no tick is certain or impossible."""
N_MOTIONS = len(MOTIONS)


@dataclass(frozen=True)
class BiasWeights:
    """How hard the answer is pulled toward its plan (nats per unit of each score).

    Chosen on calls from the shipped weights' training solos, never on the validation calls:
    first on 150 training solos (two answers a call), where rhythm 0.6, intervals 0.8,
    register 0.5 left the register's relatedness at +0.08 and register 3 moved the chord tones
    on the beat; then the chord-tone term on ``bench answer --split tune`` (36 calls, three or
    four answers each; chord tones on the beat move by +-0.03 from run to run): without it
    ``auto`` put 0.46 chord tones on the beat against solo mode's 0.50, with 0.3 0.54, with
    0.6 0.61; with the sparser rhythm of ``answer_styles.FLOOR`` 0.05 gave 0.48, 0.1 0.48 and
    0.15 0.54 against 0.50, and relatedness rhythm +0.15, intervals +0.07, register +0.26-0.29
    (real players there: +0.07, +0.09, +0.24). Re-chosen for the conditioned weights on the
    same tune split: 0.1 gave 0.49 against solo mode's 0.53, 0.3 0.54, 0.5 0.56."""

    rhythm: float = 1.0
    """Times the rhythm's log-likelihood ratio."""
    intervals: float = 0.6
    """Times the log-ratio of the plan's share of a motion class to a uniform share."""
    register: float = 2.0
    """Per 6 semitones a note's expected pitch comes nearer the plan's register."""
    beat_chord_tones: float = 0.3
    """Added to chord-tone values on the beat: the pulls above shift which notes land on the
    beats, and with them the share of chord tones there; this gives it back."""


class ValueTable:
    """What the bias needs to know of each value of a vocabulary, as arrays."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        values = vocabulary.values
        self.size = len(values)
        self.is_note = np.array([not v.is_rest for v in values])
        self.is_chord_tone = np.array([v.role == Role.CHORD for v in values])
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
    outside the answer.

    A step costs three vector operations: the rhythm's scores come from a row of 2 x 16 (note
    or rest, duration) prepared for each tick, the motions' from one vector for on and one for
    off the beat, the register's from a vector per previous pitch (made the first time that
    pitch comes); the copy guard touches only the values whose pitch it pins, on the ticks
    where the call had a note."""

    def __init__(self, targets: AnswerTargets, table: ValueTable, weights: BiasWeights) -> None:
        self.targets = targets
        self.start, self.end = targets.start, targets.end
        self._table = table
        self._weights = weights
        self._bar = targets.bar_ticks
        chance = np.clip(targets.onset_chance, *CHANCE_RANGE)
        flat = np.full_like(chance, chance.mean())
        onset_note = weights.rhythm * (np.log(chance) - np.log(flat))
        onset_rest = weights.rhythm * (np.log1p(-chance) - np.log1p(-flat))
        # The ticks a value covers after its onset score as rests: running sums (zero past the
        # end, where the answer no longer pulls). Row t: rests of each duration, then notes.
        covered = np.concatenate([[0.0], np.cumsum(np.concatenate(
            [onset_rest, np.zeros(DURATIONS[-1] + 1)]))])
        ticks = np.arange(len(chance))[:, None]
        spans = covered[ticks + np.array(DURATIONS)] - covered[ticks + 1]
        self._rhythm = np.concatenate([spans + onset_rest[:, None], spans + onset_note[:, None]],
                                      axis=1)
        self._rhythm_index = table.duration_index + len(DURATIONS) * table.is_note
        uniform = 1.0 / N_MOTIONS
        share = np.asarray(targets.motion_share, float)
        motion_bias = weights.intervals * (np.log(np.maximum(share, 1e-3)) - np.log(uniform))
        off_beat = np.where(table.has_motion, motion_bias[table.motion_index], 0.0)
        self._motions = (off_beat + weights.beat_chord_tones * table.is_chord_tone, off_beat)
        self._register: dict[int, np.ndarray] = {}
        self._guard = np.zeros((self._bar, 128), bool)
        for pitch, position in targets.guarded:
            if 0 <= pitch < 128:
                self._guard[position % self._bar, pitch] = True
        self._guarded_ticks = np.asarray(self._guard.any(axis=1))
        self._pinned = np.flatnonzero(table.pinned)
        self._pinned_interval = table.pinned_interval[self._pinned]
        self._out = np.zeros(table.size)

    def __call__(self, tick: int, prev_pitch: int | None) -> np.ndarray | None:
        t = tick - self.start
        if t < 0 or tick >= self.end:
            return None
        out = self._out
        np.take(self._rhythm[t], self._rhythm_index, out=out)
        out += self._motions[0 if t % TICKS_PER_BEAT == 0 else 1]
        if prev_pitch is None:
            return out
        out += self._register_pull(prev_pitch)
        position = t % self._bar
        if self._guarded_ticks[position]:
            landing = np.clip(prev_pitch + self._pinned_interval, 0, 127)
            out[self._pinned[self._guard[position][landing]]] = GUARDED
        return out

    def _register_pull(self, prev_pitch: int) -> np.ndarray:
        """Per value: how much nearer the plan's register its expected pitch gets."""
        pull = self._register.get(prev_pitch)
        if pull is None:
            table, target = self._table, self.targets.register
            nearer = abs(prev_pitch - target) - np.abs(prev_pitch + table.landing - target)
            pull = np.where(table.has_motion, self._weights.register / 6.0 * nearer, 0.0)
            self._register[prev_pitch] = pull
        return pull
