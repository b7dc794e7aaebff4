"""Benchmarks: the sampler's speed, timing through a real port, the music and the answers,
printed by ``live-jazz bench NAME [--json]``.

Each benchmark is a module with a ``BENCHMARK``; ``live_jazz/cli/bench.py`` lists them, one
line each. Benchmarks measure; they never assert (no wall-clock threshold lives in a test).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Figures = dict[str, Any]
"""A benchmark's results: JSON-ready names and numbers (times in the unit their name says)."""


@dataclass(frozen=True)
class Benchmark:
    """One ``live-jazz bench`` subcommand."""

    name: str
    """What the user types after ``bench``."""
    help: str
    """One line for ``live-jazz bench --help``."""
    configure: Callable[[argparse.ArgumentParser], None]
    """Adds the benchmark's own options (``--json`` is common to all)."""
    measure: Callable[[argparse.Namespace], Figures]
    """Runs the benchmark (raise ``CliError`` for a user error)."""
    describe: Callable[[Figures], str]
    """The figures as text for a reader."""


def percentiles_us(samples_ns: Sequence[int] | np.ndarray) -> tuple[float, float]:
    """(p50, p99) in microseconds of durations in nanoseconds."""
    p50, p99 = np.percentile(np.asarray(samples_ns, dtype=np.float64), [50, 99]) / 1000.0
    return float(p50), float(p99)
