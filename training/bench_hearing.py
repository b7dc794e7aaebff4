"""``live-jazz bench hearing``: the corpus side of ``live_jazz.bench.hearing``.

Reads the Weimar Jazz Database's note tables (onset, duration, pitch as played) of one side of
the weights' train/validation split (``tune`` to choose the tracker's settings, ``validation``
to report), and renders their first ``--seconds`` with the shipped soundfont.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from live_jazz.bench import Benchmark, Figures
from live_jazz.bench.hearing import METHODS, PROGRAMS, TrueNote, describe_hearing, measure_hearing
from live_jazz.command import CliError, positive_float, positive_int
from live_jazz.model.bundle import default_weights_dir
from live_jazz.synth.soundfont import SHIPPED
from live_jazz.synth.voice import VoiceError, open_voice
from training.bench_music import SPLITS, split_names

MELODY_DIR = "csv_melody"


def read_notes(path: Path) -> list[TrueNote]:
    """The notes of one WJazzD melody table (rows without a number are skipped)."""
    notes = []
    with path.open(newline="", encoding="utf-8") as table:
        for row in csv.DictReader(table):
            try:
                notes.append(TrueNote(float(row["onset"]), float(row["duration"]),
                                      round(float(row["pitch"]))))
            except (KeyError, TypeError, ValueError):
                continue
    return notes


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, required=True, metavar="DIR",
                        help="Weimar Jazz Database CSV folder (with csv_melody/)")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help=f"weights folder whose split is used (default: "
                             f"{default_weights_dir()})")
    parser.add_argument("--split", choices=SPLITS, default="validation",
                        help="validation (report), tune (choose settings on it), train")
    parser.add_argument("--solos", type=positive_int, default=6, metavar="N",
                        help="how many solos of the split (in name order; default 6)")
    parser.add_argument("--seconds", type=positive_float, default=20.0, metavar="S",
                        help="seconds of each solo from its first note (default 20)")
    parser.add_argument("--methods", default=",".join(METHODS), metavar="A,B",
                        help=f"pitch methods to compare (default: {','.join(METHODS)})")
    parser.add_argument("--programs", default=",".join(PROGRAMS), metavar="A,B",
                        help="instruments (default: all of " + ", ".join(PROGRAMS) + ")")
    parser.add_argument("--soundfont", type=Path, default=SHIPPED, metavar="FILE.sf2",
                        help="soundfont to render with (default: the shipped TimGM6mb)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")


def _names(text: str, known: dict, what: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise CliError(f"unknown {what} {', '.join(unknown) or '(none)'}; "
                       f"choose from {', '.join(known)}")
    return names


def _solos(args: argparse.Namespace) -> list[list[TrueNote]]:
    try:
        names, _ = split_names(args.weights or default_weights_dir(), args.split)
    except (OSError, KeyError, ValueError) as error:
        raise CliError(f"{args.weights or default_weights_dir()}: no train/validation split "
                       f"({error})") from None
    folder = args.corpus / MELODY_DIR
    paths = [folder / f"{name}.csv" for name in sorted(names)]
    solos = [read_notes(p) for p in paths if p.is_file()][: args.solos]
    if not solos:
        raise CliError(f"no {args.split} solo of the split in {folder}")
    return solos


def _measure(args: argparse.Namespace) -> Figures:
    started = time.perf_counter()
    methods = _names(args.methods, METHODS, "method")
    programs = _names(args.programs, PROGRAMS, "program")
    solos = _solos(args)
    try:
        voice = open_voice(args.soundfont, {0: 0})
    except VoiceError as error:
        raise CliError(str(error)) from None
    try:
        figures = measure_hearing(solos, voice, methods, programs, args.seconds, args.seed)
    except ImportError as error:
        raise CliError(f"a method is not installed ({error}): pip install -e '.[bench]'") \
            from None
    finally:
        voice.close()
    figures.update(split=args.split, solos=len(solos), seconds_each=args.seconds,
                   soundfont=str(args.soundfont), seconds=time.perf_counter() - started)
    return figures


def _describe(figures: Figures) -> str:
    heading = (f"bench hearing: {figures['solos']} {figures['split']} solos, first "
               f"{figures['seconds_each']:g} s each, rendered with {figures['soundfont']}; "
               f"{figures['block_frames']}-frame blocks at {figures['sample_rate']} Hz, "
               f"{figures['window_ms']:.0f} ms window; {figures['seconds']:.0f} s")
    return describe_hearing(figures, heading)


BENCHMARK = Benchmark(
    name="hearing",
    help="how well the microphone tracker hears rendered solos (F1, octaves, latency, CPU)",
    configure=_configure,
    measure=_measure,
    describe=_describe,
)
