"""``live-jazz bench feel``: how the generated solos are played against the beat, beside how
the real ones were (``performance``: one measuring code for both).

Each real solo's changes, tempo and length are played through ``live-jazz generate``'s
``render`` with ``--feel players`` (swing ``auto``), the notes performed ``samples`` times (the
band figures pool them: the feel's draws average out; the classifier sees the first); the same
notes are also measured as ``--feel grid`` places them (the given swing, one velocity), the
baseline. Per tempo band:
downbeat lateness, its spread, the swing ratio; a classifier two-sample test on per-phrase
timing features (grouped by tune) against the real solos, and the same test between the real
solos and other real ones (training solos: the floor); the velocity figures.
The corpus side (which solos, their beat tracks) is ``training/bench_feel.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from live_jazz.bench import Figures
from live_jazz.bench.melody import MeteredSolo
from live_jazz.bench.music import progression_of
from live_jazz.bench.performance import Performance, timing_figures, timing_table, velocity_figures
from live_jazz.bench.two_sample import require_sklearn, two_sample_accuracy
from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.encoding.feel import BAND_NAMES, band_of
from live_jazz.model.bundle import Weights
from live_jazz.music.performer import Performer
from live_jazz.music.render import Rendering, perform, render
from live_jazz.music.swing import swung_beat

COLUMNS = ("real", "players", "grid", "other_real")
TARGETS = {"two_sample_accuracy": "<= 0.70", "lateness_ms": "real ± 4 ms",
           "spread_ms": "real ± 30%", "swing_ratio": "real ± 0.10",
           "std_in_phrase": ">= 8, within 20..120"}


def generated(rendering: Rendering, real: Performance, swing: float,
              played: bool) -> Performance:
    """A rendering measured on its tempo grid: as performed (``played``) or on the grid at
    ``swing`` with its one velocity."""
    beat = 60.0 / real.tempo
    solo = rendering.solo
    written = np.array([n.onset for n in solo], dtype=np.float64) / TICKS_PER_BEAT
    if played and rendering.played_solo is not None:
        onsets = np.array([p.onset for p in rendering.played_solo]) / TICKS_PER_BEAT * beat
        velocities = np.array([p.velocity for p in rendering.played_solo])
    else:
        onsets = np.array([swung_beat(n.onset, swing) for n in solo]) * beat
        velocities = np.array([n.velocity for n in solo])
    n_beats = int(written.max()) + 3 if len(written) else 2
    return Performance(real.name, real.tune, real.tempo, real.beats_per_bar,
                       np.arange(n_beats) * beat, onsets, written,
                       np.array([n.duration for n in solo]) / TICKS_PER_BEAT,
                       np.array([n.pitch for n in solo]), velocities)


def play_all(weights: Weights, pairs: Sequence[tuple[Performance, MeteredSolo]], seed: int,
             grid_swing: float, samples: int = 1) -> dict[str, list[Performance]]:
    """The 'players' and 'grid' performances over each real solo's changes: one solo
    generated over each, performed ``samples`` times (the grid: once)."""
    out: dict[str, list[Performance]] = {"players": [], "grid": []}
    for number, (perf, solo) in enumerate(pairs):
        swing = weights.feel.swing_at(perf.tempo) if weights.feel is not None else grid_swing
        rendering = render(weights, progression_of(solo), solo.n_bars,
                           np.random.default_rng([seed, number]), tempo=perf.tempo,
                           feel="players", swing=swing)
        out["grid"].append(generated(rendering, perf, grid_swing, played=False))
        for sample in range(samples):
            if sample:
                performer = Performer(weights.feel, np.random.default_rng([seed, number, sample]))
                rendering = perform(rendering, performer, perf.tempo, swing, solo.bar_ticks)
            out["players"].append(generated(rendering, perf, swing, played=True))
    return out


def measure_feel(pairs: Sequence[tuple[Performance, MeteredSolo]],
                 other_real: Sequence[Performance], weights: Weights, seed: int,
                 grid_swing: float, samples: int = 1) -> Figures:
    """The figures (see the module docstring)."""
    require_sklearn()
    real = [p for p, _ in pairs]
    sets = {"real": real, **play_all(weights, pairs, seed, grid_swing, samples),
            "other_real": list(other_real)}
    bands = {}
    for band, name in enumerate(BAND_NAMES):
        bands[name] = {key: timing_figures([p for p in perfs if band_of(p.tempo) == band])
                       for key, perfs in sets.items()}
    real_table = timing_table(real)
    # The classifier sees one performance a solo, as many as the real ones (bench music's way).
    once = {**sets, "players": sets["players"][::samples]}
    accuracy = {key: two_sample_accuracy(*_known(real_table, timing_table(once[key])), seed)
                for key in ("players", "grid", "other_real")}
    return {
        "solos": len(real), "other_real_solos": len(other_real),
        "phrases": len(real_table[1]), "tunes": len({p.tune for p in real}),
        "seed": seed, "grid_swing": grid_swing, "samples": samples,
        "bands": bands,
        "overall": {key: timing_figures(perfs) for key, perfs in sets.items()},
        "two_sample_accuracy": accuracy,
        "velocity": {key: velocity_figures(sets[key]) for key in ("players", "grid")},
        "targets": TARGETS,
    }


Table = tuple[np.ndarray, list[str]]


def _known(real: Table, other: Table) -> tuple[Table, Table]:
    """The two tables with the features neither side ever has (all NaN) set to 0: the
    classifier bins NaN apart, but not a column of nothing else."""
    empty = np.all(np.isnan(np.vstack([real[0], other[0]])), axis=0)
    return ((np.where(empty, 0.0, real[0]), real[1]),
            (np.where(empty, 0.0, other[0]), other[1]))


def describe_feel(figures: Figures, heading: str) -> str:
    """The table: per band, the timing figures of each column; then the tests."""
    lines = [heading, f"{'band':10s}{'figure':22s}" + "".join(f"{c:>12s}" for c in COLUMNS)]
    for band, columns in [*figures["bands"].items(), ("all", figures["overall"])]:
        for key, label, form in (("solos", "solos", "{:.0f}"),
                                 ("lateness_ms", "downbeat lateness ms", "{:+.1f}"),
                                 ("spread_ms", "downbeat IQR ms", "{:.1f}"),
                                 ("swing_ratio", "swing ratio", "{:.2f}")):
            cells = [columns[c][key] for c in COLUMNS]
            lines.append(f"{band:10s}{label:22s}" + "".join(
                f"{'-' if v != v else form.format(v):>12s}" for v in cells))
    accuracy = figures["two_sample_accuracy"]
    lines.append("timing two-sample accuracy vs real (chance 0.5): " + ", ".join(
        f"{k} {'-' if v is None else f'{v:.3f}'}" for k, v in accuracy.items()))
    for key, vel in figures["velocity"].items():
        if vel is None:
            continue
        lines.append(f"velocity {key}: std in phrase {vel['std_in_phrase']:.1f}, "
                     f"{vel['distinct']} distinct, pitch corr {vel['pitch_correlation']:+.2f}, "
                     f"accents {vel['accent_share']:.0%}, ghosts {vel['ghost_share']:.0%}, "
                     f"range {vel['lowest']}..{vel['highest']}")
    lines.append("targets: " + "; ".join(f"{k} {v}" for k, v in figures["targets"].items()))
    return "\n".join(lines)
