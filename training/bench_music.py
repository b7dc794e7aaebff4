"""``live-jazz bench music``: the corpus side of the benchmark in ``live_jazz.bench.music``.

Registered through the ``live_jazz.benchmarks`` entry point group (``live_jazz`` never imports
``training``). Reads the solos (WJazzD CSV or MIDI files), keeps those of the chosen split of
the weights' train/validation split, puts each on its meter (tick 0 on its first bar line) and
hands them to ``measure_music`` with the contenders: the weights, the seed-exact weights and
the interval Markov baseline fitted on the training solos.

Splits: ``validation`` (the solos the weights never trained on: report on these, once),
``tune`` (a fixed tenth of the training solos, drawn with ``TUNE_SEED``: choose features and
settings on these, never on the validation solos), ``train`` (all training solos).
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from live_jazz.bench import Benchmark, Figures
from live_jazz.bench.melody import MeteredSolo
from live_jazz.bench.music import (
    Contender,
    describe_music,
    markov_player,
    measure_music,
    model_player,
)
from live_jazz.command import CliError, positive_int
from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.engine.config import EngineConfig
from live_jazz.model.bundle import (
    Weights,
    WeightsError,
    default_weights_dir,
    load_weights,
)
from live_jazz.music.phrase_temperature import PHRASE_TEMPERATURE
from live_jazz.theory import ChordTimeline
from training.commands import _add_corpus_options, _solos
from training.corpus import Solo
from training.evaluate import recorded_split

SPLITS = ("validation", "tune", "train")
TUNE_SHARE = 0.1
"""Share of the training solos in the ``tune`` split."""
TUNE_SEED = 2026
"""Draws the ``tune`` split: fixed, so that every run tunes on the same solos."""
SEED_SUBFOLDER = "seed"
"""Where the seed-exact model's weights sit in the shipped weights folder."""
BEATS_DIR = "csv_beats"
MIDI_BEATS_PER_BAR = 4
MIDI_TEMPO = 120.0
"""Meter and tempo taken for solos read from MIDI files (the reader keeps neither)."""


def tune_names(train: Sequence[str]) -> set[str]:
    """The ``tune`` split: a fixed tenth (at least one) of the training solos."""
    names = sorted(train)
    count = max(1, round(TUNE_SHARE * len(names)))
    picked = np.random.default_rng(TUNE_SEED).choice(len(names), size=count, replace=False)
    return {names[i] for i in picked}


def split_names(weights_dir: Path, split: str) -> tuple[set[str], set[str]]:
    """(solos to measure, solos to fit the baseline on) for ``split``, from the weights'
    config.json."""
    train = recorded_split(weights_dir, "train")
    if split == "validation":
        return recorded_split(weights_dir, "validation"), train
    if split == "tune":
        tune = tune_names(sorted(train))
        return tune, train - tune
    return train, train


def tune_of(name: str) -> str:
    """The tune of a WJazzD solo name (``Performer_Title-2_Solo`` -> ``Title``)."""
    parts = name.split("_")
    title = parts[1] if len(parts) > 1 else parts[0]
    return re.sub(r"-\d+$", "", title)


def wjazzd_meter(beats_csv: Path) -> tuple[int, int, int, float] | None:
    """(first bar line's beat index, beats a bar, complete bars, tempo in BPM) of a WJazzD
    beats file; None if the meter changes, is one beat a bar (1/4: free-time transcriptions,
    whose one-beat "bars" would make the figures per bar and per 4-bar phrase meaningless) or
    there is no complete bar."""
    with beats_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    downbeats = [i for i, row in enumerate(rows) if row["beat"].strip() == "1"]
    if len(downbeats) < 2:
        return None
    lengths = {b - a for a, b in zip(downbeats, downbeats[1:], strict=False)}
    if len(lengths) != 1 or lengths == {1}:
        return None
    beats_per_bar = lengths.pop()
    n_bars = (len(rows) - downbeats[0]) // beats_per_bar
    onsets = [float(row["onset"]) for row in rows]
    beat_seconds = statistics.median(np.diff(onsets))
    return downbeats[0], beats_per_bar, n_bars, 60.0 / beat_seconds


def shifted(timeline: ChordTimeline, offset: int) -> ChordTimeline:
    """``timeline`` (not looping) from ``offset`` on, as tick 0."""
    changes = [(start - offset, chord) for start, chord in timeline.changes]
    kept = [(max(0, start), chord) for index, (start, chord) in enumerate(changes)
            if index + 1 == len(changes) or changes[index + 1][0] > 0]
    return ChordTimeline(tuple(kept))


def metered_wjazzd(solo: Solo, corpus: Path) -> MeteredSolo | None:
    """A WJazzD solo from its first bar line (pickup notes before it left out); None if its
    meter changes."""
    meter = wjazzd_meter(corpus / BEATS_DIR / f"{solo.name}.csv")
    if meter is None:
        return None
    first_beat, beats_per_bar, n_bars, tempo = meter
    offset = first_beat * TICKS_PER_BEAT
    end = n_bars * beats_per_bar * TICKS_PER_BEAT
    notes = tuple(Note(n.onset - offset, n.duration, n.pitch, n.velocity)
                  for n in solo.notes if 0 <= n.onset - offset < end)
    return MeteredSolo(solo.name, tune_of(solo.name), notes, shifted(solo.chords, offset),
                       beats_per_bar, n_bars, tempo, player=solo.name.split("_")[0])


def metered_midi(solo: Solo) -> MeteredSolo:
    """A solo read from a MIDI file (its ticks count from a bar line), taken in 4/4 at 120 BPM,
    from the bar of its first note to the bar of its last; its tune is the file's."""
    bar_ticks = MIDI_BEATS_PER_BAR * TICKS_PER_BEAT
    first_bar = solo.notes[0].onset // bar_ticks
    n_bars = max(n.onset for n in solo.notes) // bar_ticks + 1 - first_bar
    offset = first_bar * bar_ticks
    notes = tuple(Note(n.onset - offset, n.duration, n.pitch, n.velocity) for n in solo.notes)
    tune = solo.name.split("#")[0]  # the MIDI reader names the solos of a file stem#N
    return MeteredSolo(solo.name, tune, notes, shifted(solo.chords, offset),
                       MIDI_BEATS_PER_BAR, n_bars, MIDI_TEMPO, player=solo.name)


def _configure(parser: argparse.ArgumentParser) -> None:
    defaults = EngineConfig()
    _add_corpus_options(parser, "measure on")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help=f"weights folder (default: {default_weights_dir()})")
    parser.add_argument("--seed-weights", type=Path, metavar="DIR",
                        help="the seed-exact model's weights, a column of their own (default: "
                        f"the weights' {SEED_SUBFOLDER}/ subfolder when there is one)")
    parser.add_argument("--split", choices=SPLITS, default="validation",
                        help="which solos of the weights' train/validation split: validation "
                        "(report), tune (a fixed tenth of the training solos: choose settings "
                        "on it), train (default: validation; not with --midi)")
    parser.add_argument("--temperature", type=float, default=defaults.temperature,
                        metavar="T", help=f"sampling temperature (default: "
                        f"{defaults.temperature:g})")
    parser.add_argument("--phrase-temperature", type=float, nargs=2, metavar=("START", "INSIDE"),
                        default=(PHRASE_TEMPERATURE.start, PHRASE_TEMPERATURE.inside),
                        help="the temperature's multipliers where a phrase starts and inside a "
                        "line (default: %(default)s; 1 1: one temperature throughout)")
    parser.add_argument("--top-p", type=float, default=defaults.top_p, metavar="P",
                        help=f"nucleus sampling share (default: {defaults.top_p:g}, off)")
    parser.add_argument("--samples", type=positive_int, default=1, metavar="N",
                        help="solos each contender plays over each real solo: more give "
                        "steadier figures, in N times the time (default: 1)")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed of the generated solos and the classifier (default: 0)")


def _load(directory: Path | None) -> Weights:
    try:
        return load_weights(directory)
    except WeightsError as error:
        raise CliError(str(error)) from error


def _seed_weights_dir(args: argparse.Namespace, weights_dir: Path) -> Path | None:
    if args.seed_weights is not None:
        return args.seed_weights
    candidate = weights_dir / SEED_SUBFOLDER
    return candidate if candidate.is_dir() else None


def _split_warning(seed_dir: Path, measured: set[str]) -> list[str]:
    """A note if the seed-exact weights trained on some of the measured solos."""
    try:
        trained = recorded_split(seed_dir, "train")
    except (OSError, KeyError, ValueError):
        return [f"{seed_dir} records no train/validation split"]
    seen = len(measured & trained)
    return [f"the seed-exact weights trained on {seen} of the measured solos"] if seen else []


def _measure(args: argparse.Namespace) -> Figures:
    started = time.perf_counter()
    if not 0.0 <= args.temperature or not 0.0 < args.top_p <= 1.0:
        raise CliError("--temperature must be >= 0 and --top-p in (0, 1]")
    if not min(args.phrase_temperature) > 0.0:
        raise CliError("--phrase-temperature: both multipliers must be > 0")
    phrasing = replace(PHRASE_TEMPERATURE, start=args.phrase_temperature[0],
                       inside=args.phrase_temperature[1])
    weights = _load(args.weights)
    seed_dir = _seed_weights_dir(args, weights.directory)
    seed_weights = _load(seed_dir) if seed_dir is not None else None
    solos = _solos(args, describe=False)
    notes = []
    if args.midi is not None:
        measured = [metered_midi(s) for s in solos]
        training = measured
        notes.append("--midi: every solo of the files measured, in 4/4; the baseline is "
                     "fitted on them")
    else:
        try:
            names, fit_names = split_names(weights.directory, args.split)
        except (OSError, KeyError, ValueError) as error:
            raise CliError(f"{weights.directory}: no train/validation split ({error})") from None
        metered = {s.name: metered_wjazzd(s, args.corpus) for s in solos
                   if s.name in names | fit_names}
        measured = [m for n, m in sorted(metered.items()) if n in names and m is not None]
        training = [m for n, m in sorted(metered.items()) if n in fit_names and m is not None]
        skipped = sum(1 for n, m in metered.items() if n in names and m is None)
        if skipped:
            notes.append(f"{skipped} solo{'s' if skipped != 1 else ''} left out: the meter "
                         "changes or is 1/4")
    if not measured:
        raise CliError(f"no solo of the {args.split} split in {args.corpus or args.midi}")
    contenders = [Contender("model", weights.directory.name,
                            model_player(weights, args.temperature, args.top_p, phrasing),
                            str(weights.directory))]
    if seed_weights is not None:
        notes += _split_warning(seed_weights.directory, {m.name for m in measured})
        contenders.append(Contender("seed_exact", "seed-exact",
                                    model_player(seed_weights, args.temperature, args.top_p,
                                                 phrasing),
                                    str(seed_weights.directory)))
    else:
        notes.append(f"no seed-exact column: no {weights.directory / SEED_SUBFOLDER} (today "
                     "the shipped weights are the seed-exact model); --seed-weights DIR")
    contenders.append(Contender("markov", "markov", markov_player(training or measured),
                                f"first-order interval Markov chain fitted on {len(training)} "
                                "training solos"))
    figures = measure_music(measured, contenders, args.seed, args.samples)
    figures.update(split=args.split if args.midi is None else "midi",
                   weights=str(weights.directory), temperature=args.temperature,
                   phrase_temperature=list(args.phrase_temperature),
                   top_p=args.top_p, notes=notes, seconds=time.perf_counter() - started)
    return figures


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _describe(figures: Figures) -> str:
    heading = (f"bench music: {_count(figures['solos'], figures['split'] + ' solo')} of "
               f"{_count(figures['tunes'], 'tune')}, {figures['bars']} bars, "
               f"{figures['phrases']} real 4-bar phrases; two-sample folds grouped by "
               f"{figures['two_sample_groups']}\n{figures['samples']} generated per real solo, "
               f"seed {figures['seed']}, temperature {figures['temperature']:g} (x "
               f"{figures['phrase_temperature'][0]:g} where a phrase starts, x "
               f"{figures['phrase_temperature'][1]:g} inside a line), "
               f"top-p {figures['top_p']:g}; "
               f"{figures['seconds']:.0f} s")
    text = describe_music(figures, heading)
    return "\n".join([text, *(f"  note: {note}" for note in figures["notes"])])


BENCHMARK = Benchmark(
    name="music",
    help="generate over real solos' changes and compare with the real solos (histograms, "
    "H1/H4, GS, a two-sample classifier)",
    configure=_configure,
    measure=_measure,
    describe=_describe,
)
