"""Learn the players' time feel from the WJazzD solos: ``weights/feel.json``.

    python -m training.feel --corpus ../shared/corpora/wjazzd --weights weights [--model table]

Fitted on the weights' training solos less the ``tune`` split (``training/bench_music.py``), so
that ``bench feel --split tune`` chooses among models on solos they never saw and the
validation solos are measured once. What is learned (``live_jazz.encoding.feel``):

1. the swing: where the off-beat eighth falls (ratio r -> place r / (1 + r)), a straight line
   in ln(tempo) through the solos' median places, weighted by their swung beats;
2. each note's deviation from the grid swung at that place (ms), the median per cell (tempo
   band, place in the beat and bar, length, what comes before: ``CONTEXTS``);
3. ``--model phrase`` (the default): the residuals off the cell medians as a per-phrase offset
   plus an AR(1) within the phrase, its innovations kept as quantiles; ``--model table``: the
   residuals drawn independently (no phrase, no memory): the simpler model of the model card.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from live_jazz.bench.performance import Performance, swing_ratios
from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.encoding.feel import (
    BAND_NAMES,
    CONTEXTS,
    POSITIONS,
    FeelModel,
    band_of,
    cell_key,
    context_of,
    position_of,
)
from live_jazz.model.bundle import WeightsError, load_weights
from live_jazz.music.swing import swung_tick
from training.bench_music import split_names
from training.feel_calibration import calibrate, generated_notes, own_notes
from training.performances import read_performances

MAX_DEVIATION_BEATS = 0.25
"""Deviations beyond this share of a beat are taken as transcription slips and left out."""
MIN_CELL = 30
"""A cell with fewer notes takes its position's median."""
QUANTILES = 41
CALIBRATION_STEP = 2
"""Every this many fitting solos are generated over for the calibration on the improviser's
notes (``feel_calibration.generated_notes``)."""
DEFAULT_SWING = 0.6
"""The swing place taken when no solo shows its swing."""
LONG_BEATS = 0.5
"""A note written this long or longer is 'long'."""


def fit_swing(perfs: Sequence[Performance]) -> tuple[float, float]:
    """(intercept, slope) of the swing place against ln(tempo)."""
    x, y, w = [], [], []
    for perf in perfs:
        ratios = swing_ratios(perf)
        if len(ratios) >= 5:
            ratio = float(np.median(ratios))
            x.append(np.log(perf.tempo))
            y.append(ratio / (1.0 + ratio))
            w.append(len(ratios))
    if len(set(x)) < 2:  # too few solos for a line: their mean place, or a light swing
        return (float(np.average(y, weights=w)) if y else DEFAULT_SWING), 0.0
    slope, intercept = np.polyfit(np.array(x), np.array(y), 1, w=np.sqrt(np.array(w)))
    return float(intercept), float(slope)


def note_table(perf: Performance, swing: FeelModel) -> dict[str, np.ndarray]:
    """Per note: the deviation (ms) off the grid swung at the players' swing for this tempo,
    band, position, long, context; the notes kept (``MAX_DEVIATION_BEATS``)."""
    place = swing.swing_at(perf.tempo)
    ticks = np.rint(perf.written * TICKS_PER_BEAT).astype(np.int64)
    beat, within = np.divmod(ticks, TICKS_PER_BEAT)
    swung = beat + np.array([swung_tick(int(t), place) for t in within]) / TICKS_PER_BEAT
    beat_len = perf.beat_lengths(perf.written)
    dev = perf.onsets - perf.grid_times(swung)
    bar_ticks = perf.beats_per_bar * TICKS_PER_BEAT
    keep = np.abs(dev) <= MAX_DEVIATION_BEATS * beat_len
    return {
        "dev": dev[keep] * 1000.0,
        "position": np.array([position_of(int(t) % bar_ticks, TICKS_PER_BEAT)
                              for t in ticks])[keep],
        "long": (perf.lengths >= LONG_BEATS)[keep],
        "context": _contexts(perf, ticks)[keep],
        "phrase": np.cumsum(perf.phrase_starts())[keep],
    }


def _contexts(perf: Performance, ticks: np.ndarray) -> np.ndarray:
    """Each note's ``CONTEXTS`` index (from the written gap to the previous onset)."""
    starts = perf.phrase_starts()
    gaps = np.diff(ticks, prepend=0)
    return np.array([context_of(None if s else int(g), TICKS_PER_BEAT)
                     for s, g in zip(starts, gaps, strict=True)], dtype=np.int64)


def fit(perfs: Sequence[Performance], model: str = "phrase") -> FeelModel:
    """The feel of ``perfs`` (``model``: 'phrase' or 'table', see the module docstring)."""
    intercept, slope = fit_swing(perfs)
    swing = _empty(intercept, slope)
    tables = [(band_of(p.tempo), note_table(p, swing)) for p in perfs]
    cell_ms: dict[str, float] = {}
    band_ms = []
    for band in range(len(BAND_NAMES)):
        mine = [t for b, t in tables if b == band]
        row = []
        for position in range(len(POSITIONS)):
            values = _pick(mine, lambda t, p=position: t["position"] == p)
            row.append(float(np.median(values)) if len(values) else 0.0)
            for long in (False, True):
                for context in range(len(CONTEXTS)):
                    values = _pick(mine, lambda t, p=position, lo=long, c=context: (
                        (t["position"] == p) & (t["long"] == lo) & (t["context"] == c)))
                    if len(values) >= MIN_CELL:
                        cell_ms[cell_key(band, position, long, context)] = float(
                            np.median(values))
        band_ms.append(tuple(row))
    draft = _empty(intercept, slope, cell_ms, tuple(band_ms))
    rows = [_band_dynamics([t for b, t in tables if b == band], draft, band, model)
            for band in range(len(BAND_NAMES))]
    return dataclasses.replace(draft, scale_ms=tuple(r[0] for r in rows),
                               phrase_share=tuple(r[1] for r in rows),
                               ar=tuple(r[2] for r in rows),
                               residual_q=tuple(r[3] for r in rows),
                               phrase_carry=tuple(r[4] for r in rows))


def _empty(intercept: float, slope: float, cell_ms: dict[str, float] | None = None,
           band_ms: tuple[tuple[float, ...], ...] | None = None) -> FeelModel:
    """A model of the swing and the medians only (no strays)."""
    bands = len(BAND_NAMES)
    zeros = tuple((0.0,) * len(POSITIONS) for _ in BAND_NAMES)
    return FeelModel(intercept, slope, cell_ms or {}, band_ms or zeros, zeros, (0.0,) * bands,
                     (0.0,) * bands, ((0.0, 0.0),) * bands)


def _pick(tables: list[dict[str, np.ndarray]], where) -> np.ndarray:  # noqa: ANN001
    return np.concatenate([np.zeros(0), *(t["dev"][where(t)] for t in tables)])


def _residuals(tables: list[dict[str, np.ndarray]], draft: FeelModel,
               band: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per solo: each note's residual off its cell median (ms), and its position."""
    residuals, positions = [], []
    for t in tables:
        medians = np.array([draft.median_ms(band, int(p), bool(lo), int(c))
                            for p, lo, c in zip(t["position"], t["long"], t["context"],
                                                strict=True)])
        residuals.append(t["dev"] - medians)
        positions.append(t["position"])
    return residuals, positions


def _band_dynamics(tables: list[dict[str, np.ndarray]], draft: FeelModel, band: int,
                   model: str) -> tuple[tuple[float, ...], float, float, tuple[float, ...], float]:
    """(spread per position, phrase share, AR coefficient, residual quantiles, phrase carry)
    of one band."""
    residuals, positions = _residuals(tables, draft, band)
    pooled_r = np.concatenate([np.zeros(0), *residuals])
    pooled_p = np.concatenate([np.zeros(0, dtype=np.int64), *positions])
    scale = []
    for position in range(len(POSITIONS)):
        mine = pooled_r[pooled_p == position]
        spread = (np.subtract(*np.percentile(mine, [75, 25])) / 1.349) if len(mine) >= MIN_CELL \
            else 0.0
        scale.append(float(spread) if spread > 0 else 10.0)
    standard = [r / np.array(scale)[p] for r, p in zip(residuals, positions, strict=True)]
    shape = np.concatenate([np.zeros(1), *standard])
    quantiles = tuple(float(v) for v in np.percentile(shape, np.linspace(0, 100, QUANTILES)))
    if model == "table":
        return tuple(scale), 0.0, 0.0, quantiles, 0.0
    phrases = [z[phrase == k] for z, t in zip(standard, tables, strict=True)
               for phrase in (t["phrase"],) for k in np.unique(phrase)]
    share, ar = _fit_correlation(phrases) if phrases else (0.0, 0.0)
    return tuple(scale), share, ar, quantiles, _carry(standard, tables)


def _carry(standard: list[np.ndarray], tables: list[dict[str, np.ndarray]]) -> float:
    """The correlation of consecutive phrases' mean residuals (phrases of 3 notes or more)."""
    before, after = [], []
    for z, t in zip(standard, tables, strict=True):
        means = [z[t["phrase"] == k].mean() for k in np.unique(t["phrase"])
                 if (t["phrase"] == k).sum() >= 3]
        before += means[:-1]
        after += means[1:]
    if len(before) < 10 or np.std(before) == 0.0 or np.std(after) == 0.0:
        return 0.0
    return float(np.clip(np.corrcoef(before, after)[0, 1], 0.0, 0.95))


def _fit_correlation(phrases: list[np.ndarray], lags: int = 4) -> tuple[float, float]:
    """(phrase share c, AR coefficient phi) whose correlations c + (1 - c) phi^k best match
    the residuals' lag-k correlations within phrases, k = 1..lags."""
    pooled = np.concatenate(phrases)
    clipped = [np.clip(p, -4.0, 4.0) for p in phrases]  # a slip must not rule the products
    variance = float(np.mean(np.clip(pooled, -4.0, 4.0) ** 2))
    if variance == 0.0:
        return 0.0, 0.0  # no strays at all
    rho = []
    for k in range(1, lags + 1):
        products = np.concatenate([np.zeros(0), *(p[k:] * p[:-k] for p in clipped if len(p) > k)])
        rho.append(float(products.mean()) / variance if len(products) else 0.0)
    best = (np.inf, 0.0, 0.0)
    for c in np.linspace(0.0, 0.9, 46):
        for phi in np.linspace(0.0, 0.95, 48):
            model = c + (1.0 - c) * phi ** np.arange(1, lags + 1)
            error = float(np.sum((model - np.array(rho)) ** 2))
            best = min(best, (error, float(c), float(phi)))
    return best[1], best[2]


def learn(corpus: Path, weights_dir: Path, model: str = "phrase",
          out: Path | None = None) -> str:
    """Fit the feel on the training solos (less ``tune``) that ``weights_dir``'s config.json
    names and write ``feel.json`` into ``out`` (default: ``weights_dir``); returns what was
    written, in a line. Raises ValueError (no split, not the WJazzD CSV export, no solo)."""
    try:
        _tune, fit_names = split_names(weights_dir, "tune")
    except (OSError, KeyError, ValueError) as error:
        raise ValueError(f"{weights_dir}: no train/validation split ({error})") from None
    if not (corpus / "csv_melody").is_dir():
        raise ValueError(f"{corpus}: not the WJazzD CSV export (the feel needs its beat track)")
    perfs = read_performances(corpus, fit_names)
    if not perfs:
        raise ValueError(f"{corpus}: none of the training solos could be measured")
    feel = calibrate(perfs, fit(perfs, model), own_notes)
    try:
        weights = load_weights(weights_dir)
    except WeightsError:
        weights = None  # a folder without a model: the players' own notes only
    if weights is not None:
        player = generated_notes(weights, corpus, perfs[::CALIBRATION_STEP])
        feel = calibrate(perfs, feel, player, rounds=2, swing=False)
    path = feel.save(out or weights_dir, {
        "model": model, "solos": len(perfs),
        "source": "Weimar Jazz Database (Jazzomat Research Project, ODbL 1.0): the weights' "
                  "training solos less the tune split"})
    return (f"wrote {path}: the players' feel ({model} model) from {len(perfs)} solos; swing "
            f"{feel.swing_at(120):.3f} at 120 BPM, {feel.swing_at(300):.3f} at 300")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m training.feel``: fit and write ``feel.json`` into the weights folder."""
    parser = argparse.ArgumentParser(prog="python -m training.feel", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="the WJazzD CSV export")
    parser.add_argument("--weights", type=Path, required=True,
                        help="weights folder (its config.json names the training solos)")
    parser.add_argument("--model", choices=("phrase", "table"), default="phrase",
                        help="phrase offset + AR(1) (default) or independent draws")
    parser.add_argument("--out", type=Path, help="folder to write feel.json to (default: "
                        "--weights)")
    args = parser.parse_args(argv)
    try:
        print(learn(args.corpus, args.weights, args.model, args.out))
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
