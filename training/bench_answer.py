"""``live-jazz bench answer``: the corpus side of the benchmark in ``live_jazz.bench.answer``.

Registered through the ``live_jazz.benchmarks`` entry point group, as ``bench music`` is, and
reads the solos the same way (``training.bench_music``): the chosen side of the weights'
train/validation split, each on its meter from its first bar line. Each solo gives one call
(its first four bars with notes) and the player's continuation.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from live_jazz.bench import Benchmark, Figures
from live_jazz.bench.answer import describe_answers, exchange_of, measure_answers
from live_jazz.command import CliError, positive_int
from live_jazz.engine.config import EngineConfig
from live_jazz.model.bundle import WeightsError, default_weights_dir, load_weights
from training.bench_music import SPLITS, metered_wjazzd, split_names
from training.corpus import CorpusError, load_corpus


def _configure(parser: argparse.ArgumentParser) -> None:
    defaults = EngineConfig()
    parser.add_argument("--corpus", type=Path, required=True, metavar="DIR",
                        help="Weimar Jazz Database CSV folder (with csv_melody/ and csv_beats/)")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help=f"weights folder (default: {default_weights_dir()})")
    parser.add_argument("--split", choices=SPLITS, default="validation",
                        help="which solos of the weights' train/validation split give the calls: "
                        "validation (report), tune (a fixed tenth of the training solos: choose "
                        "settings on it), train (default: validation)")
    parser.add_argument("--repeats", type=positive_int, default=4, metavar="N",
                        help="answers per call and style, averaged (default: 4)")
    parser.add_argument("--temperature", type=float, default=defaults.temperature,
                        metavar="T", help=f"sampling temperature (default: "
                        f"{defaults.temperature:g})")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")


def _measure(args: argparse.Namespace) -> Figures:
    started = time.perf_counter()
    if not 0.0 <= args.temperature <= 5.0:
        raise CliError(f"--temperature must be 0-5, got {args.temperature:g}")
    try:
        weights = load_weights(args.weights)
        names, _ = split_names(weights.directory, args.split)
    except WeightsError as error:
        raise CliError(str(error)) from None
    except (OSError, KeyError, ValueError) as error:
        raise CliError(f"{args.weights or default_weights_dir()}: no train/validation split "
                       f"({error})") from None
    try:
        solos = [s for s in load_corpus(args.corpus) if s.name in names]
    except CorpusError as error:
        raise CliError(str(error)) from None
    metered = [metered_wjazzd(s, args.corpus) for s in solos]
    exchanges = [e for e in (exchange_of(m) for m in metered if m is not None) if e is not None]
    if len(exchanges) < 2:
        raise CliError(f"fewer than two calls in the {args.split} split of {args.corpus}")
    figures = measure_answers(exchanges, weights, seed=args.seed, repeats=args.repeats,
                              temperature=args.temperature)
    figures.update(split=args.split, weights=str(weights.directory),
                   temperature=args.temperature, solos=len(solos),
                   seconds=time.perf_counter() - started)
    return figures


def _describe(figures: Figures) -> str:
    heading = (f"bench answer: {figures['calls']} calls from {figures['solos']} "
               f"{figures['split']} solos (their first 4 bars with notes), {figures['repeats']} "
               f"answers each; real = the players' next 4 bars; primed = the model primed, no "
               f"style; seed {figures['seed']}, temperature {figures['temperature']:g}; "
               f"{figures['seconds']:.0f} s")
    return describe_answers(figures, heading)


BENCHMARK = Benchmark(
    name="answer",
    help="answers to calls from real solos: relatedness to the call (rhythm, intervals, "
    "register) per answer style beside the real players', copy share, chord tones",
    configure=_configure,
    measure=_measure,
    describe=_describe,
)
