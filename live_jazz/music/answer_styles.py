"""Answer styles: how an answer works with what the call gave it.

- ``echo``: restate the call's rhythmic cells bar for bar and its kind of intervals, in its
  register; new pitches over the new chords (the model picks them).
- ``develop``: take the call's last cell first and carry on through its others (extend), the
  line sequenced a step or two toward the middle of the register; now and then the cells are
  displaced by an eighth.
- ``contrast``: the other side of the call: a dense call is answered with space (few notes, on
  the beats), a sparse one with a running line; a low call high and a high call low; a stepwise
  call with leaps, a leaping one with steps.
- ``auto``: a very sparse call (a note or two a bar) is answered in contrast, any other is
  echoed or developed, drawn per answer.

``AnswerPlanner.plan`` extracts the call's material, picks the style and returns the bias the
improviser adds to the model's scores for the answer's span (``answer_bias``).

Ideas taken from two systems built for trading with a player: Impro-Visor's trading response
modes repeat the player's phrase, modify or transform it, and rectify its pitches to the
chords (here the model, not a rule, picks every pitch, so nothing is copied); Somax2 does not
rewrite what it hears but lets it raise "peaks" of influence over its memory that steer where
its own line goes next -- the answer's bias is that kind of influence on the LSTM's choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from live_jazz.encoding import DEFAULT_REGISTER, MOTIONS, TICKS_PER_BEAT, Note, Vocabulary
from live_jazz.music.answer_bias import AnswerBias, AnswerTargets, BiasWeights, ValueTable
from live_jazz.music.call_material import CallMaterial, extract_material

AnswerStyle = Literal["echo", "develop", "contrast", "auto"]
ANSWER_STYLES: tuple[AnswerStyle, ...] = ("auto", "echo", "develop", "contrast")
"""In the order the TUI's key cycles them; ``auto`` is the default."""

CELL_SHARE = 0.6
"""An echoed bar's onset chances: this much from its own cell of the call, the rest from the
call's rhythm as a whole."""
FLOOR = 0.005
"""Onset chance of a tick the plan says nothing about. At 0.03 (1.4 onsets a bar of 48 ticks)
answers to the tune split's calls played 7.5 notes a bar against the primed model's 6.1; at
0.005, 6.2-6.6, and their rhythm relatedness rose from +0.12 to +0.15."""
INTERVAL_SHARE = 0.7
"""A plan's motion shares: this much from the call's intervals, the rest uniform."""
SPARSE_CALL = 2.0
"""Notes a bar below which ``auto`` answers in contrast (with a line)."""
DENSE_CALL = 4.0
"""Notes a bar from which a contrasting answer leaves space (below it, it runs)."""
DEVELOP_SHARE = 0.5
"""How often ``auto`` develops a call rather than echo it."""
DISPLACE_SHARE = 0.3
"""How often ``develop`` displaces the cells by an eighth."""
SEQUENCE_STEPS = (2, 3)
"""Semitones a developed line is sequenced by, toward the middle of the register."""
CONTRAST_LEAP = 7
"""Semitones a contrasting answer moves its register away from the call's."""
MIDDLE = sum(DEFAULT_REGISTER) / 2
"""The middle of the playable register."""


@dataclass(frozen=True)
class Plan:
    """What a style makes of a call, before it becomes a bias."""

    style: AnswerStyle
    """The style played (never ``auto``)."""
    onset_chance: np.ndarray
    """Chance a note starts at each tick of the answer."""
    intervals: np.ndarray
    """Share of each interval -12..+12 the answer aims at."""
    register: float
    """The pitch it centres on."""
    description: str
    """What it does, for the log."""


def plan_answer(material: CallMaterial, style: AnswerStyle, bars: int,
                rng: np.random.Generator) -> Plan:
    """The plan of a ``bars``-bar answer to ``material`` in ``style`` (``auto`` decides)."""
    if style == "auto":
        if material.density < SPARSE_CALL:
            style = "contrast"
        else:
            style = "develop" if rng.random() < DEVELOP_SHARE else "echo"
    if style == "echo":
        return echo(material, bars)
    if style == "develop":
        return develop(material, bars, rng)
    if style == "contrast":
        return contrast(material, bars)
    raise ValueError(f"answer style must be one of {', '.join(ANSWER_STYLES)}, got {style!r}")


def echo(material: CallMaterial, bars: int) -> Plan:
    """The call's cells bar for bar, its intervals, its register."""
    chance = _cells_chance(material, range(bars))
    return Plan("echo", chance, material.interval_histogram(), material.mean_pitch,
                "echo: its cells bar for bar, in its register")


def develop(material: CallMaterial, bars: int, rng: np.random.Generator) -> Plan:
    """The last cell first, then the others (extended); sequenced toward the middle; now and
    then displaced by an eighth."""
    n = material.bars
    chance = _cells_chance(material, (n - 1 + k for k in range(bars)))
    step = int(rng.choice(SEQUENCE_STEPS)) * (1 if material.mean_pitch < MIDDLE else -1)
    text = f"develop: its last cell first, sequenced {step:+d}"
    if rng.random() < DISPLACE_SHARE:
        chance = np.roll(chance, TICKS_PER_BEAT // 2)
        text += ", displaced an eighth"
    return Plan("develop", chance, material.interval_histogram(), material.mean_pitch + step,
                text)


def contrast(material: CallMaterial, bars: int) -> Plan:
    """Space for a dense call, a line for a sparse one; the other side of the register; leaps
    for steps and steps for leaps."""
    bar = material.bar_ticks
    beat, eighth = TICKS_PER_BEAT, TICKS_PER_BEAT // 2
    chance = np.full(bar, FLOOR)
    if material.density >= DENSE_CALL:
        chance[::beat] = 0.35
        chance[::2 * beat] = 0.6
        rhythm = "space"
    else:
        chance[::eighth] = 0.7
        rhythm = "a running line"
    steps = sum(abs(i) <= 2 for i in material.intervals)
    stepwise = steps >= len(material.intervals) / 2
    sizes = np.arange(-12, 13)
    wanted = (np.abs(sizes) >= 3) & (np.abs(sizes) <= 7) if stepwise else \
        (np.abs(sizes) >= 1) & (np.abs(sizes) <= 2)
    intervals = wanted / wanted.sum()
    away = CONTRAST_LEAP if material.mean_pitch < MIDDLE else -CONTRAST_LEAP
    return Plan("contrast", np.tile(chance, bars), intervals, material.mean_pitch + away,
                f"contrast: {rhythm}, {'leaps' if stepwise else 'steps'}, register {away:+d}")


def _cells_chance(material: CallMaterial, cells: Iterable[int]) -> np.ndarray:
    """Onset chances of answer bars that echo the call's cells of the given indices (cycled)."""
    bar = material.bar_ticks
    overall = material.onset_profile() / material.bars
    rows = []
    for index in cells:
        cell = np.zeros(bar)
        cell[list(material.cells[index % material.bars])] = 1.0
        rows.append(FLOOR + (1 - FLOOR) * (CELL_SHARE * cell + (1 - CELL_SHARE) * overall))
    return np.concatenate(rows)


_MOTION_OF_INTERVAL = np.array([next(k for k, m in enumerate(MOTIONS) if m.contains(i))
                                for i in range(-12, 13)])
"""The motion class (index in MOTIONS) of each interval -12..+12."""


def motion_share(intervals: np.ndarray) -> np.ndarray:
    """Interval shares (-12..+12) as shares of the motion classes, mixed with a uniform share."""
    share = np.bincount(_MOTION_OF_INTERVAL, weights=intervals, minlength=len(MOTIONS))
    total = share.sum()
    uniform = np.full(len(MOTIONS), 1.0 / len(MOTIONS))
    return INTERVAL_SHARE * share / total + (1 - INTERVAL_SHARE) * uniform if total else uniform


class AnswerPlanner:
    """Plans answers for one vocabulary: ``plan`` turns a call into the bias of its answer.
    ``rng`` draws the choices of ``auto`` and ``develop``."""

    def __init__(self, vocabulary: Vocabulary, rng: np.random.Generator,
                 weights: BiasWeights | None = None) -> None:
        self.table = ValueTable(vocabulary)
        self.rng = rng
        self.weights = weights or BiasWeights()
        self.last: Plan | None = None
        """The plan of the latest answer (None before the first, or for an empty call)."""

    def plan(self, call: Iterable[Note], style: AnswerStyle, start: int, end: int,
             bar_ticks: int) -> AnswerBias | None:
        """The bias of the answer from bar line ``start`` to ``end`` (session ticks) to the
        ``call``'s notes (bars counted from ``start``); None for a call without notes."""
        material = extract_material(call, start, bar_ticks)
        if material is None:
            self.last = None
            return None
        bars = max(1, -(-(end - start) // bar_ticks))
        plan = plan_answer(material, style, bars, self.rng)
        self.last = plan
        targets = AnswerTargets(start, end, bar_ticks, plan.onset_chance[: end - start],
                                motion_share(plan.intervals), plan.register,
                                material.pairs())
        return AnswerBias(targets, self.table, self.weights)
