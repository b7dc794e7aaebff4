"""``live-jazz bench NAME [--json]``: run one benchmark and print its figures."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
from importlib.metadata import entry_points

from live_jazz.bench import Benchmark
from live_jazz.command import Command

BENCHMARKS = (
    "live_jazz.bench.sampler",
    "live_jazz.bench.timing",
    "live_jazz.bench.synth",
)
"""Modules that define a ``BENCHMARK``, one a line."""
PLUGIN_GROUP = "live_jazz.benchmarks"
"""Entry point group of the benchmarks other packages register (``training`` registers
``music``, which reads the corpus, this way: ``live_jazz`` never imports ``training``)."""


def benchmarks() -> list[Benchmark]:
    """The built-in benchmarks, then the registered ones."""
    found = [importlib.import_module(name).BENCHMARK for name in BENCHMARKS]
    for entry in entry_points(group=PLUGIN_GROUP):
        try:
            found.append(entry.load())
        except ImportError as error:
            logging.getLogger(__name__).warning("benchmark %s unavailable: %s", entry.name, error)
    return found


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="benchmark", metavar="NAME", required=True)
    for benchmark in benchmarks():
        child = sub.add_parser(benchmark.name, help=benchmark.help, description=benchmark.help)
        child.add_argument("--json", action="store_true",
                           help="print one JSON object instead of text")
        benchmark.configure(child)
        child.set_defaults(run_benchmark=benchmark)


def _run(args: argparse.Namespace) -> int:
    benchmark: Benchmark = args.run_benchmark
    figures = benchmark.measure(args)
    print(json.dumps(figures, indent=1) if args.json else benchmark.describe(figures))
    return 0


COMMAND = Command(
    name="bench",
    help="benchmarks: the sampler's speed, timing through a real port, the music, the answers",
    configure=_configure,
    run=_run,
)
