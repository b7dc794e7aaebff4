"""``live-jazz bench feel``: the corpus side of ``live_jazz.bench.feel``.

Reads the WJazzD solos of the chosen split (``validation``: report, once; ``tune``: choose) as
performances (``training/performances.py``) and as metered solos (their changes, for the
generated ones), and a same-sized draw of other real solos (the fitting solos) for the floor.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from live_jazz.bench import Benchmark, Figures
from live_jazz.bench.feel import describe_feel, measure_feel
from live_jazz.command import CliError, positive_int
from live_jazz.engine.config import EngineConfig
from live_jazz.model.bundle import WeightsError, default_weights_dir, load_weights
from training.bench_music import SPLITS, metered_wjazzd, split_names
from training.performances import read_performances
from training.wjazzd import is_wjazzd, load_solo

DEFAULT_CORPUS = Path("../shared/corpora/wjazzd")


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, metavar="DIR",
                        help=f"the WJazzD CSV export (default: {DEFAULT_CORPUS})")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help=f"weights folder (default: {default_weights_dir()})")
    parser.add_argument("--split", choices=SPLITS, default="validation",
                        help="which solos: validation (report), tune (choose), train")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--samples", type=positive_int, default=4, metavar="N",
                        help="performances of each generated solo (the feel's draws): more "
                             "give steadier figures (default: %(default)s)")
    parser.add_argument("--grid-swing", type=float, default=EngineConfig().swing, metavar="R",
                        help="the swing of the --feel grid column (default: %(default)s)")


def _measure(args: argparse.Namespace) -> Figures:
    started = time.perf_counter()
    if not is_wjazzd(args.corpus):
        raise CliError(f"--corpus: {args.corpus} is not the WJazzD CSV export")
    try:
        weights = load_weights(args.weights)
    except WeightsError as error:
        raise CliError(str(error)) from error
    if weights.feel is None:
        raise CliError(f"{weights.directory}: no feel.json (python -m training.feel)")
    try:
        names, fit_names = split_names(weights.directory, args.split)
    except (OSError, KeyError, ValueError) as error:
        raise CliError(f"{weights.directory}: no train/validation split ({error})") from None
    pairs = []
    for perf in read_performances(args.corpus, names):
        solo = metered_wjazzd(load_solo(args.corpus / "csv_melody" / f"{perf.name}.csv",
                                        args.corpus / "csv_beats" / f"{perf.name}.csv"),
                              args.corpus)
        if solo is not None:
            pairs.append((perf, solo))
    if not pairs:
        raise CliError(f"no solo of the {args.split} split in {args.corpus}")
    others = sorted(fit_names - names)
    picked = np.random.default_rng(args.seed).choice(len(others), size=min(
        len(others), len(pairs)), replace=False)
    other_real = read_performances(args.corpus, {others[i] for i in picked})
    figures = measure_feel(pairs, other_real, weights, args.seed, args.grid_swing,
                           args.samples)
    figures.update(split=args.split, weights=str(weights.directory),
                   seconds=time.perf_counter() - started)
    return figures


def _describe(figures: Figures) -> str:
    heading = (f"bench feel: {figures['solos']} {figures['split']} solos of {figures['tunes']} "
               f"tunes, {figures['phrases']} real 4-bar phrases; other real: "
               f"{figures['other_real_solos']} fitting solos; grid swing "
               f"{figures['grid_swing']:g}; each generated solo performed "
               f"{figures['samples']} times; {figures['seconds']:.0f} s")
    return describe_feel(figures, heading)


BENCHMARK = Benchmark(
    name="feel",
    help="time feel and dynamics: generated solos against the real ones, per tempo band",
    configure=_configure,
    measure=_measure,
    describe=_describe,
)
