"""``live-jazz bench sampler``: the one-step sampler against the Keras ways of taking a step, the
live path's start-up time and memory, and the long-run statistics.

In one process, on the same weights: time per step of the numpy ``Sampler`` (a whole sampled
step: LSTM, distribution, draw, loop guard), of a naive numpy step (``model.lstm`` + softmax +
``rng.choice``), and of the Keras one-step model through ``predict`` (what the exercise's
inference does), called directly, and as a ``tf.function``; p50 and p99 and the ratios.

The live path's figures come from a fresh interpreter (``python -m live_jazz.bench.sampler
--live-path DIR``), not from this process that has imported TensorFlow: the time from
launching it to its first sampled value (through the ``Improviser``, as the instrument starts),
and its peak resident memory after a few thousand more steps.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import numpy as np

from live_jazz.bench import Benchmark, Figures, percentiles_us
from live_jazz.bench.long_run import LONG_RUN_FORM, long_run_stats
from live_jazz.command import CliError, install_hint, positive_int, quiet_tensorflow, require
from live_jazz.model.bundle import Weights, WeightsError, default_weights_dir, load_weights
from live_jazz.model.keras_model import KERAS_FILE
from live_jazz.model.lstm import log_softmax
from live_jazz.model.sampler import Sampler

TARGETS = {
    "numpy_p99_us": 50.0,
    "predict_over_numpy_p50": 1000.0,
    "tf_function_over_numpy_p50": 15.0,
    "first_value_s": 1.0,
    "peak_rss_mb": 150.0,
}
"""The issue's targets: at most (times, memory) or at least (ratios)."""
LIVE_PATH_STEPS = 5000
"""Steps the live-path child takes after its first value, before reading its peak memory."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help="weights folder with model.keras (default: the shipped weights/ "
                        "or $LIVE_JAZZ_WEIGHTS)")
    parser.add_argument("--steps", type=positive_int, metavar="N", default=20000,
                        help="timed numpy steps (default: 20000)")
    parser.add_argument("--predict-steps", type=positive_int, metavar="N", default=200,
                        help="timed model.predict steps, ~60 ms each (default: 200)")
    parser.add_argument("--call-steps", type=positive_int, metavar="N", default=500,
                        help="timed direct-call steps (default: 500)")
    parser.add_argument("--function-steps", type=positive_int, metavar="N", default=3000,
                        help="timed tf.function steps (default: 3000)")
    parser.add_argument("--starts", type=positive_int, metavar="N", default=5,
                        help="fresh live-path processes to start; the median counts "
                        "(default: 5)")
    parser.add_argument("--long-runs", type=positive_int, metavar="N", default=8,
                        help="independent runs of the improviser for the long-run statistics "
                        "(default: 8)")
    parser.add_argument("--long-steps", type=positive_int, metavar="N", default=40000,
                        help="values a long run (default: 40000); the first and the last "
                        "2,000 are compared")


def _time_numpy(weights: Weights, steps: int, clock=time.perf_counter_ns) -> list[int]:
    """Wall time per sampled step (or, with ``clock=time.thread_time_ns``, the CPU time this
    thread spent in it: what is left when the scheduler's preemptions are taken out)."""
    sampler = Sampler(weights, np.random.default_rng(0))
    for _ in range(1000):  # warm caches and branch predictors
        sampler.sample()
    times = []
    for _ in range(steps):
        start = clock()
        sampler.sample()
        times.append(clock() - start)
    return times


def _time_improviser(weights: Weights, steps: int) -> list[int]:
    """Wall time per step of the whole live step: the features of the position, the sampler,
    the decoder's pitch choice."""
    from live_jazz.music.improviser import Improviser
    from live_jazz.theory import preset

    improviser = Improviser(weights, preset(LONG_RUN_FORM).timeline(12),
                            np.random.default_rng(0))
    for _ in range(1000):
        improviser.step()
    clock = time.perf_counter_ns
    times = []
    for _ in range(steps):
        start = clock()
        improviser.step()
        times.append(clock() - start)
    return times


def _time_naive(weights: Weights, steps: int) -> list[int]:
    """The baseline the sampler is measured against, written the straightforward way on
    purpose: the Keras cell's formula on fresh (1, n_a) arrays, softmax, ``rng.choice``."""
    arrays = weights.arrays
    n = arrays.n_a
    rng = np.random.default_rng(0)
    a = np.zeros((1, n))
    c = np.zeros((1, n))
    features = np.zeros((1, arrays.n_features))
    index = 0
    clock = time.perf_counter_ns
    times = []
    for _ in range(steps):
        start = clock()
        z = (arrays.kernel[index] + features @ arrays.feature_kernel
             + a @ arrays.recurrent_kernel + arrays.bias)
        i, f = 1 / (1 + np.exp(-z[:, :n])), 1 / (1 + np.exp(-z[:, n : 2 * n]))
        g, o = np.tanh(z[:, 2 * n : 3 * n]), 1 / (1 + np.exp(-z[:, 3 * n :]))
        c = f * c + i * g
        a = o * np.tanh(c)
        p = np.exp(log_softmax(a @ arrays.dense_kernel + arrays.dense_bias))[0]
        index = int(rng.choice(arrays.n_values, p=p / p.sum()))
        times.append(clock() - start)
    return times


def _time_keras(step, n_values: int, a: np.ndarray, c: np.ndarray, steps: int) -> list[int]:
    """Times ``step(index, a, c) -> (probabilities, a, c)``, feeding back a sampled value."""
    rng = np.random.default_rng(0)
    index = 0
    for _ in range(3):  # tracing and first-call costs are start-up, not steps
        step(index, a, c)
    clock = time.perf_counter_ns
    times = []
    for _ in range(steps):
        start = clock()
        probs, a, c = step(index, a, c)
        times.append(clock() - start)
        p = np.asarray(probs, dtype=np.float64)[0]
        index = int(rng.choice(n_values, p=p / p.sum()))
    return times


def measure_live_path(directory: Path, starts: int) -> Figures:
    """Start fresh live-path processes: seconds from launch to the first sampled value
    (median and worst), peak resident memory (MB, worst), and whether TensorFlow was
    imported."""
    firsts, peaks, heavy = [], [], False
    for _ in range(starts):
        launched = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "live_jazz.bench.sampler", "--live-path", str(directory)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline()
        firsts.append(time.perf_counter() - launched)
        rest, errors = child.communicate(timeout=120)
        if child.returncode != 0 or not first:
            raise CliError(f"the live-path process failed: {errors.strip()[-300:]}")
        report = json.loads(rest.strip().splitlines()[-1])
        peaks.append(report["peak_rss_mb"])
        heavy = heavy or report["tensorflow_imported"]
    return {
        "first_value_s": median(firsts),
        "first_value_max_s": max(firsts),
        "peak_rss_mb": max(peaks),
        "live_path_imports_tensorflow": heavy,
    }


def _measure(args: argparse.Namespace) -> Figures:
    require("tensorflow", "TensorFlow", "bench sampler (its Keras columns)", "train")
    directory = Path(args.weights) if args.weights is not None else default_weights_dir()
    try:
        weights = load_weights(directory)
    except WeightsError as error:
        raise CliError(str(error)) from error
    if not (directory / KERAS_FILE).is_file():
        raise CliError(f"{directory}: no {KERAS_FILE}: the Keras steps need the trained model")

    # The live path first, before this process imports TensorFlow and fills the page cache
    # with it (the child never needs it).
    figures: Figures = {"weights": str(directory), "n_a": weights.arrays.n_a,
                        "n_values": weights.arrays.n_values}
    figures.update(measure_live_path(directory, args.starts))

    numpy_p50, numpy_p99 = percentiles_us(_time_numpy(weights, args.steps))
    _, numpy_cpu_p99 = percentiles_us(_time_numpy(weights, args.steps, time.thread_time_ns))
    naive_p50, naive_p99 = percentiles_us(_time_naive(weights, min(args.steps, 5000)))
    improviser_p50, improviser_p99 = percentiles_us(_time_improviser(weights, args.steps))
    figures.update(numpy_p50_us=numpy_p50, numpy_p99_us=numpy_p99,
                   numpy_cpu_p99_us=numpy_cpu_p99,
                   naive_numpy_p50_us=naive_p50, naive_numpy_p99_us=naive_p99,
                   improviser_p50_us=improviser_p50, improviser_p99_us=improviser_p99)

    quiet_tensorflow()
    from live_jazz.model.reference import KerasReference

    reference = KerasReference(directory)
    a, c = reference.zero_state()
    for name, step, steps in (("predict", reference.predict_step, args.predict_steps),
                              ("call", reference.call_step, args.call_steps),
                              ("tf_function", reference.function_step, args.function_steps)):
        p50, p99 = percentiles_us(_time_keras(step, reference.n_values, a, c, steps))
        figures[f"{name}_p50_us"] = p50
        figures[f"{name}_p99_us"] = p99
    for name in ("predict", "call", "tf_function", "naive_numpy", "improviser"):
        figures[f"{name}_over_numpy_p50"] = figures[f"{name}_p50_us"] / numpy_p50

    report = long_run_stats(weights, seed=0, runs=args.long_runs, steps=args.long_steps)
    figures["long_run"] = {
        "runs": report.runs,
        "steps": report.late_start + report.window,
        "window": report.window,
        "first": report.early.as_dict(),
        "last": report.late.as_dict(),
        "relative_change": report.relative_changes(),
        "within_10_percent": report.within(0.10),
    }
    figures["targets_met"] = {
        "numpy_p99_us": numpy_p99 <= TARGETS["numpy_p99_us"],
        "numpy_p99_below_naive_p50": numpy_p99 < naive_p50,
        "predict_over_numpy_p50": figures["predict_over_numpy_p50"]
        >= TARGETS["predict_over_numpy_p50"],
        "tf_function_over_numpy_p50": figures["tf_function_over_numpy_p50"]
        >= TARGETS["tf_function_over_numpy_p50"],
        "first_value_s": figures["first_value_s"] <= TARGETS["first_value_s"],
        "peak_rss_mb": figures["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
        "live_path_without_tensorflow": not figures["live_path_imports_tensorflow"],
        "long_run_within_10_percent": report.within(0.10),
    }
    return figures


def _describe(f: Figures) -> str:
    def ok(key: str) -> str:
        return "ok" if f["targets_met"][key] else "MISSED"

    lines = [
        f"weights {f['weights']} (n_a {f['n_a']}, {f['n_values']} values)",
        "time per step          p50 us      p99 us   p50 vs numpy",
        f"  numpy Sampler     {f['numpy_p50_us']:10.1f}  {f['numpy_p99_us']:10.1f}"
        f"          1x   p99 <= {TARGETS['numpy_p99_us']:g} us: {ok('numpy_p99_us')} "
        f"(CPU time p99 {f['numpy_cpu_p99_us']:.1f} us)",
    ]
    for name, label in (("naive_numpy", "naive numpy"), ("improviser", "whole live step"),
                        ("predict", "Keras predict"),
                        ("call", "Keras call"), ("tf_function", "tf.function")):
        lines.append(f"  {label:<16}{f[name + '_p50_us']:10.1f}  {f[name + '_p99_us']:10.1f}"
                     f"  {f[name + '_over_numpy_p50']:9.1f}x")
    long_run = f["long_run"]
    changes = ", ".join(f"{k} {v:.1%}" for k, v in long_run["relative_change"].items())
    lines += [
        f"  predict >= {TARGETS['predict_over_numpy_p50']:g}x numpy: "
        f"{ok('predict_over_numpy_p50')}; tf.function >= "
        f"{TARGETS['tf_function_over_numpy_p50']:g}x numpy: {ok('tf_function_over_numpy_p50')}",
        f"live path: first sampled value {f['first_value_s']:.2f} s after launch (median; "
        f"worst {f['first_value_max_s']:.2f} s): {ok('first_value_s')}; peak RSS "
        f"{f['peak_rss_mb']:.0f} MB: {ok('peak_rss_mb')}; TensorFlow imported: "
        f"{'yes' if f['live_path_imports_tensorflow'] else 'no'}",
        f"numpy p99 below the naive step's p50: {ok('numpy_p99_below_naive_p50')}",
        f"long run ({long_run['runs']} runs of {long_run['steps']} values over "
        f"{LONG_RUN_FORM}, first vs last {long_run['window']}): {changes}: "
        f"{ok('long_run_within_10_percent')}",
    ]
    return "\n".join(lines)


BENCHMARK = Benchmark(
    name="sampler",
    help="numpy sampler vs Keras predict / call / tf.function; live-path start-up and memory "
         f"(needs TensorFlow: {install_hint('train')})",
    configure=_configure,
    measure=_measure,
    describe=_describe,
)


def _peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM on Linux, else getrusage."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def _live_path(directory: Path) -> None:
    """The child: start as the instrument does, print the first sampled value at once, take
    more steps, then report peak memory and whether TensorFlow got imported."""
    from live_jazz.music.improviser import Improviser
    from live_jazz.theory import preset

    improviser = Improviser(load_weights(directory), preset("blues-f").timeline(12),
                            np.random.default_rng(0))
    print(improviser.step().index, flush=True)
    for _ in range(LIVE_PATH_STEPS):
        improviser.step()
    heavy = any(m.split(".")[0] in ("tensorflow", "keras") for m in sys.modules)
    print(json.dumps({"peak_rss_mb": _peak_rss_mb(), "tensorflow_imported": heavy}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--live-path":
        sys.exit("usage: python -m live_jazz.bench.sampler --live-path WEIGHTS_DIR")
    _live_path(Path(sys.argv[2]))
