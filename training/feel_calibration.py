"""Calibrating the feel: the medians of ``training/feel.py`` count notes by where they were
written; ``bench feel`` measures where they sound. Each round performs notes with the model,
measures them with ``bench feel``'s code and moves each band's on-beat and off-beat-eighth
medians by what is left between those figures and the players' (downbeat lateness, swing).

Whose notes: the players' own (``own_notes``: their written notes, performed by the model),
then, for the lateness only, the improviser's (``generated_notes``: solos generated over the
fitting solos' changes, as ``bench feel`` generates them): the improviser's note choices differ
from the players', so the same model gives other figures on them. Its swing is left to the
players' notes: few generated beats hold exactly two eighths at fast tempos, and moving the
eighths on so few made them worse on the tune split (very fast: 1.78 against 1.50).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from live_jazz.bench.feel import generated
from live_jazz.bench.music import progression_of
from live_jazz.bench.performance import Performance, timing_figures
from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.feel import BAND_NAMES, POSITIONS, FeelModel, band_of
from live_jazz.model.bundle import Weights
from live_jazz.music.performer import Performer
from live_jazz.music.render import perform, render
from live_jazz.music.swing import swung_tick
from training.bench_music import metered_wjazzd
from training.wjazzd import load_solo

Player = Callable[[FeelModel, Sequence[Performance], np.random.Generator], list[Performance]]
"""(model, the real solos of a band, random numbers) -> the model's performances to measure."""
SIMULATIONS = 4
"""Performances of each solo per calibration round (the model's draws average out)."""

def simulate(perf: Performance, feel: FeelModel, rng: np.random.Generator) -> Performance:
    """``perf``'s written notes performed by ``feel`` (``music.performer``) on its tempo grid:
    what the model does with the players' own note choices."""
    performer = Performer(feel, rng)
    beat = 60.0 / perf.tempo
    bar_ticks = perf.beats_per_bar * TICKS_PER_BEAT
    ticks = np.rint(perf.written * TICKS_PER_BEAT).astype(np.int64)
    lengths = np.maximum(1, np.rint(perf.lengths * TICKS_PER_BEAT)).astype(np.int64)
    swing = feel.swing_at(perf.tempo)
    onsets = []
    for tick, length, pitch in zip(ticks, lengths, perf.pitches, strict=True):
        shift, _ = performer.solo(Note(int(tick), int(length), int(pitch)),
                                  int(tick) % bar_ticks, perf.tempo)
        onsets.append((swung_tick(int(tick), swing) + shift) / TICKS_PER_BEAT * beat)
    n_beats = int(perf.written.max()) + 3
    return dataclasses.replace(perf, beats=np.arange(n_beats) * beat, onsets=np.array(onsets))


def calibrate(perfs: Sequence[Performance], feel: FeelModel, player: Player,
              rounds: int = 3, seed: int = 0, swing: bool = True) -> FeelModel:
    """Move each band's on-beat and off-beat-eighth medians so that the notes ``player``
    performs with the model show the downbeat lateness and swing ratio of ``perfs`` (the
    players), measured by ``bench feel``'s code; ``swing`` False: the lateness only."""
    for _ in range(rounds):
        cells = dict(feel.cell_ms)
        band_ms = [list(row) for row in feel.band_ms]
        for band in range(len(BAND_NAMES)):
            mine = [p for p in perfs if band_of(p.tempo) == band]
            if not mine:
                continue
            rng = np.random.default_rng([seed, band])
            real = timing_figures(mine)
            played = player(feel, mine, rng)
            if not played:
                continue
            model = timing_figures(played)
            late = np.nan_to_num(real["lateness_ms"] - model["lateness_ms"])
            beat_ms = 60_000.0 / float(np.median([p.tempo for p in mine]))
            place = np.nan_to_num(_place(real["swing_ratio"]) - _place(model["swing_ratio"]))
            moves = {0: float(late), 1: float(late), 2: float(place * beat_ms) if swing else 0.0}
            for key in list(cells):
                b, position = key.split(":")[:2]
                index = POSITIONS.index(position)
                if int(b) == band and index in moves:
                    cells[key] += moves[index]
            for index, move in moves.items():
                band_ms[band][index] += move
        feel = dataclasses.replace(feel, cell_ms=cells,
                                   band_ms=tuple(tuple(r) for r in band_ms))
    return feel


def _place(ratio: float) -> float:
    return ratio / (1.0 + ratio) if ratio == ratio else 0.5




def own_notes(feel: FeelModel, perfs: Sequence[Performance],
              rng: np.random.Generator) -> list[Performance]:
    """The players' written notes performed by ``feel``, ``SIMULATIONS`` times each."""
    return [simulate(p, feel, rng) for p in perfs for _ in range(SIMULATIONS)]


def generated_notes(weights: Weights, corpus: Path, perfs: Sequence[Performance],
                    seed: int = 1) -> Player:
    """A player performing solos generated once (``weights``) over the changes, tempo and
    length of ``perfs`` (the band's solos among them are measured against the band's real
    ones)."""
    renderings = {}
    for number, perf in enumerate(perfs):
        solo = metered_wjazzd(load_solo(corpus / "csv_melody" / f"{perf.name}.csv",
                                        corpus / "csv_beats" / f"{perf.name}.csv"), corpus)
        if solo is not None:
            rendering = render(weights, progression_of(solo), solo.n_bars,
                               np.random.default_rng([seed, number]), tempo=perf.tempo)
            renderings[perf.name] = (perf, rendering, solo.bar_ticks)

    def play(feel: FeelModel, band_perfs: Sequence[Performance],
             rng: np.random.Generator) -> list[Performance]:
        out = []
        for perf in band_perfs:
            if perf.name not in renderings:
                continue
            real, rendering, bar_ticks = renderings[perf.name]
            swing = feel.swing_at(real.tempo)
            for _ in range(SIMULATIONS):
                performed = perform(rendering, Performer(feel, rng), real.tempo, swing,
                                    bar_ticks)
                out.append(generated(performed, real, swing, played=True))
        return out

    return play
