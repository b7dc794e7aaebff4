"""``live-jazz bench answer``: how much an answer takes from its call, beside real players.

Calls come from real solos: the first four bars with notes of each. The real player's next
four bars are the anchor; each answer style answers the call through ``live-jazz generate``'s
own ``render`` (``--prime``, over the tune's changes, unswung), as does the primed model without
a style (``primed``: the answer before this benchmark's issue). Per call and answer:

- rhythm: cosine of the onset profiles (onsets counted at each of 48 positions of the bar);
- intervals: overlap of the interval histograms (-12..+12 semitones);
- register: exp(-|mean pitch difference| / 6).

Relatedness = similarity to its own call minus the mean similarity to the other calls (0: the
answer ignores its call). Also: the copy share (answer notes repeating a call note's pitch at
its place in the bar), and chord tones among the answer's notes on the beat beside solo mode's
(the improviser playing on over the same eight bars, unprimed, its last four measured).

The corpus side (which solos, their meter) is ``training/bench_answer.py``; this module takes
the solos as ``MeteredSolo`` and measures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from live_jazz.bench import Figures
from live_jazz.bench.melody import MeteredSolo, chord_tones_on_beat, overlap
from live_jazz.bench.music import progression_of
from live_jazz.encoding import Note
from live_jazz.model.bundle import Weights
from live_jazz.music.answer_styles import ANSWER_STYLES, AnswerStyle
from live_jazz.music.call_material import (
    copy_share,
    extract_material,
    interval_histogram,
    melodic_line,
    onset_profile,
)
from live_jazz.music.render import render
from live_jazz.theory import Chord, ChordSource

CALL_BARS = 4
"""Bars of a call, and of its answer."""
PROFILE_SLOTS = 48
"""Positions of the onset profile (a 4/4 bar of 12 ticks a beat; a 3/4 bar uses 36)."""
REGISTER_SCALE = 6.0
"""Semitones of mean-pitch difference that take the register similarity to 1/e."""
STYLES: tuple[AnswerStyle, ...] = tuple(s for s in ANSWER_STYLES if s != "auto") + ("auto",)
COLUMNS = ("real", "primed", *STYLES)
"""The table's columns: the real players, the primed model alone, each style."""
TARGETS: dict[str, tuple[str, float]] = {
    "rhythm": (">=", 0.08),
    "intervals": (">=", 0.04),
    "register": (">=", 0.20),
    "copy_share": ("<=", 0.25),
    "chord_tones_on_beat": ("~", 0.03),
}
"""The issue's targets for ``auto``: at least, at most, or within (~) this much of solo mode's."""


@dataclass(frozen=True)
class Exchange:
    """A call from a real solo, the player's own continuation, and the eight bars' changes."""

    name: str
    """The solo it came from."""
    window: MeteredSolo
    """The call's bars and the next ones (tick 0 on the call's first bar line)."""
    call: tuple[Note, ...]
    """The call: the first ``CALL_BARS`` bars with notes (cut at their end)."""
    continuation: tuple[Note, ...]
    """What the player played next, ``CALL_BARS`` bars, in ticks from the answer's bar line."""


class _Later:
    """A chord source from ``offset`` ticks on (tick 0 there)."""

    def __init__(self, chords: ChordSource, offset: int) -> None:
        self.chords, self.offset = chords, offset

    def chord_at(self, tick: int) -> Chord:
        return self.chords.chord_at(tick + self.offset)


def exchange_of(solo: MeteredSolo) -> Exchange | None:
    """The call (first bars with notes) and continuation of a solo; None when either has fewer
    than two notes or the solo ends first."""
    if not solo.notes:
        return None
    bar = solo.bar_ticks
    first = solo.notes[0].onset // bar
    if first + 2 * CALL_BARS > solo.n_bars:
        return None
    start, middle, end = first * bar, (first + CALL_BARS) * bar, (first + 2 * CALL_BARS) * bar
    call = tuple(Note(n.onset - start, min(n.duration, middle - n.onset), n.pitch, n.velocity)
                 for n in solo.notes if start <= n.onset < middle)
    continuation = tuple(Note(n.onset - middle, n.duration, n.pitch, n.velocity)
                         for n in solo.notes if middle <= n.onset < end)
    if len(melodic_line(call)) < 2 or len(melodic_line(continuation)) < 2:
        return None
    window = MeteredSolo(solo.name, solo.tune, call, _Later(solo.chords, start),
                         solo.beats_per_bar, 2 * CALL_BARS, solo.tempo)
    return Exchange(solo.name, window, call, continuation)


@dataclass(frozen=True)
class Features:
    """What relatedness compares of a phrase."""

    rhythm: np.ndarray
    intervals: np.ndarray
    mean_pitch: float | None


def features(notes: Sequence[Note], bar_ticks: int) -> Features:
    """Onset profile (48 slots), interval histogram, mean pitch of a phrase."""
    line = melodic_line(notes)
    profile = np.zeros(PROFILE_SLOTS)
    profile[:bar_ticks] = onset_profile([n.onset for n in line], bar_ticks)[:PROFILE_SLOTS]
    pitches = [n.pitch for n in line]
    return Features(profile, interval_histogram(np.diff(pitches).tolist()),
                    float(np.mean(pitches)) if pitches else None)


def _cosine(p: np.ndarray, q: np.ndarray) -> float:
    norm = float(np.linalg.norm(p) * np.linalg.norm(q))
    return float(p @ q) / norm if norm else 0.0


def _register(a: float | None, b: float | None) -> float:
    return 0.0 if a is None or b is None else float(np.exp(-abs(a - b) / REGISTER_SCALE))


SIMILARITIES: dict[str, Callable[[Features, Features], float]] = {
    "rhythm": lambda a, c: _cosine(a.rhythm, c.rhythm),
    "intervals": lambda a, c: overlap(a.intervals, c.intervals),
    "register": lambda a, c: _register(a.mean_pitch, c.mean_pitch),
}


def relatedness(answers: Sequence[Features], calls: Sequence[Features]) -> dict[str, float]:
    """For each similarity: the mean over answers of (similarity to its own call - mean
    similarity to the other calls); answer i answers call i."""
    if len(calls) < 2 or len(answers) != len(calls):
        raise ValueError("relatedness needs one answer per call and two calls or more")
    figures = {}
    for name, similarity in SIMILARITIES.items():
        table = np.array([[similarity(a, c) for c in calls] for a in answers])
        own = np.diag(table)
        others = (table.sum(axis=1) - own) / (len(calls) - 1)
        figures[name] = float(np.mean(own - others))
    return figures


def _answer(weights: Weights, exchange: Exchange, style: AnswerStyle | None,
            rng: np.random.Generator, temperature: float, top_p: float) -> tuple[Note, ...]:
    """The answer to the exchange's call (ticks from the answer's bar line)."""
    bar = exchange.window.bar_ticks
    rendering = render(weights, progression_of(exchange.window), CALL_BARS, rng,
                       temperature=temperature, top_p=top_p, tempo=exchange.window.tempo,
                       prime=list(exchange.call), answer_style=style)
    start = rendering.solo_start
    return tuple(Note(n.onset - start, n.duration, n.pitch, n.velocity) for n in rendering.solo
                 if start <= n.onset < start + CALL_BARS * bar)


def _solo_mode(weights: Weights, exchange: Exchange, rng: np.random.Generator,
               temperature: float, top_p: float) -> tuple[Note, ...]:
    """The improviser playing on over the exchange's eight bars, unprimed: its last four."""
    bar = exchange.window.bar_ticks
    rendering = render(weights, progression_of(exchange.window), 2 * CALL_BARS, rng,
                       temperature=temperature, top_p=top_p, tempo=exchange.window.tempo)
    return tuple(Note(n.onset - CALL_BARS * bar, n.duration, n.pitch, n.velocity)
                 for n in rendering.solo if n.onset >= CALL_BARS * bar)


def _chord_tones(phrases: Sequence[Sequence[Note]], exchanges: Sequence[Exchange]) -> float:
    """Chord tones among the notes on the beat, pooled over the answers."""
    tones = total = 0
    for notes, exchange in zip(phrases, exchanges, strict=True):
        later = _Later(exchange.window.chords, CALL_BARS * exchange.window.bar_ticks)
        t, n = chord_tones_on_beat(list(notes), later)
        tones, total = tones + t, total + n
    return tones / total if total else 0.0


def measure_answers(exchanges: Sequence[Exchange], weights: Weights, *, seed: int = 0,
                    repeats: int = 2, temperature: float = 1.0, top_p: float = 1.0) -> Figures:
    """The table's figures: for the real continuations, the primed model and each style, the
    relatedness (mean over ``repeats`` answers per call), copy share and chord tones on the
    beat; solo mode's chord tones on the beat."""
    if len(exchanges) < 2:
        raise ValueError("bench answer needs two calls or more")
    calls = [features(e.call, e.window.bar_ticks) for e in exchanges]
    materials = [extract_material(e.call, 0, e.window.bar_ticks) for e in exchanges]
    columns: dict[str, dict[str, float]] = {}
    seconds: dict[str, float] = {}
    played: dict[str, list[list[tuple[Note, ...]]]] = {
        "real": [[e.continuation for e in exchanges]]}
    for style in ("primed", *STYLES):
        began = time.perf_counter()
        played[style] = [
            [_answer(weights, e, None if style == "primed" else style,  # type: ignore[arg-type]
                     np.random.default_rng([seed, repeat, i]), temperature, top_p)
             for i, e in enumerate(exchanges)]
            for repeat in range(repeats)]
        seconds[style] = time.perf_counter() - began
    for column in COLUMNS:
        runs = played[column]
        figures = [relatedness([features(a, e.window.bar_ticks)
                                for a, e in zip(run, exchanges, strict=True)], calls)
                   for run in runs]
        row = {name: float(np.mean([f[name] for f in figures])) for name in SIMILARITIES}
        row["copy_share"] = float(np.mean([
            copy_share(a, m, 0) for run in runs for a, m in zip(run, materials, strict=True)
            if m is not None]))
        row["chord_tones_on_beat"] = float(np.mean([_chord_tones(run, exchanges)
                                                    for run in runs]))
        row["notes_per_bar"] = float(np.mean([len(melodic_line(a)) / CALL_BARS
                                              for run in runs for a in run]))
        columns[column] = row
    solo = [[_solo_mode(weights, e, np.random.default_rng([seed, repeat, i, 1]), temperature,
                        top_p) for i, e in enumerate(exchanges)] for repeat in range(repeats)]
    solo_chord_tones = float(np.mean([_chord_tones(run, exchanges) for run in solo]))
    auto = columns["auto"]
    met = {name: (auto[name] >= value if kind == ">=" else
                  auto[name] <= value if kind == "<=" else
                  abs(auto[name] - solo_chord_tones) <= value)
           for name, (kind, value) in TARGETS.items()}
    return {
        "calls": len(exchanges),
        "repeats": repeats,
        "seed": seed,
        "columns": columns,
        "solo_chord_tones_on_beat": solo_chord_tones,
        "generation_s": seconds,
        "targets": {name: {"kind": kind, "value": value}
                    for name, (kind, value) in TARGETS.items()},
        "targets_met": met,
    }


ROWS: tuple[tuple[str, str, str], ...] = (
    ("rhythm", "relatedness: rhythm", "{:+.3f}"),
    ("intervals", "relatedness: intervals", "{:+.3f}"),
    ("register", "relatedness: register", "{:+.3f}"),
    ("copy_share", "copy share", "{:.3f}"),
    ("chord_tones_on_beat", "chord tones on the beat", "{:.3f}"),
    ("notes_per_bar", "notes per bar", "{:.1f}"),
)


def describe_answers(figures: Figures, heading: str) -> str:
    """One row a figure; columns real, primed, each style; the target for ``auto``."""
    width = 10
    lines = [heading, f"{'':26s}" + "".join(f"{c:>{width}s}" for c in COLUMNS)
             + "   target (auto)"]
    for name, label, form in ROWS:
        cells = "".join(f"{form.format(figures['columns'][c][name]):>{width}s}" for c in COLUMNS)
        target = ""
        if name in TARGETS:
            kind, value = TARGETS[name]
            target = f"solo mode's {figures['solo_chord_tones_on_beat']:.3f} ± {value:g}" \
                if kind == "~" else f"{kind} {value:+g}" if kind == ">=" else f"{kind} {value:g}"
            target += "  met" if figures["targets_met"][name] else "  NOT met"
        lines.append(f"{label:26s}{cells}   {target}")
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in figures["generation_s"].items())
    lines.append(f"  answered in: {timing}")
    return "\n".join(lines)
