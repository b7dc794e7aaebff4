"""The WJazzD solos as they were played: each note's onset in seconds against the beat track
(``live_jazz.bench.performance.Performance``), for learning the feel and for ``bench feel``.

Beat 0 is the solo's first bar line (pickups before it are left out, as ``bench music`` does);
a note's written position is its (bar, beat) and its tatum within the beat on the same
12-ticks-a-beat grid the model's values use (``training/wjazzd.py``). Solos whose meter changes
or is 1/4 are left out (``bench_music.wjazzd_meter``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from live_jazz.bench.performance import Performance
from live_jazz.encoding import TICKS_PER_BEAT
from training.bench_music import BEATS_DIR, tune_of, wjazzd_meter

MELODY_DIR = "csv_melody"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_performance(corpus: Path, name: str) -> Performance | None:
    """Solo ``name`` of the WJazzD CSV export at ``corpus``; None if it cannot be measured
    (meter, missing files, no notes)."""
    beats_path = corpus / BEATS_DIR / f"{name}.csv"
    melody_path = corpus / MELODY_DIR / f"{name}.csv"
    if not beats_path.is_file() or not melody_path.is_file():
        return None
    meter = wjazzd_meter(beats_path)
    if meter is None:
        return None
    first, beats_per_bar, n_bars, tempo = meter
    beat_rows = _rows(beats_path)
    index = {(r["bar"].strip(), r["beat"].strip()): i for i, r in enumerate(beat_rows)}
    beats = np.array([float(r["onset"]) for r in beat_rows[first:]])
    if len(beats) < 2:
        return None
    last = beats[-1] + (beats[-1] - beats[-2])
    beats = np.append(beats, last)  # the end of the last beat
    notes = []
    for row in _rows(melody_path):
        try:
            beat = index[(row["bar"].strip(), row["beat"].strip())] - first
            division, tatum = max(int(row["division"]), 1), int(row["tatum"])
            tick = round((tatum - 1) * TICKS_PER_BEAT / division)
            notes.append((float(row["onset"]), beat + tick / TICKS_PER_BEAT,
                          float(row["duration"]) / float(row["beatdur"]),
                          round(float(row["pitch"]))))
        except (KeyError, ValueError, ZeroDivisionError):
            continue
    notes = [n for n in notes if 0 <= n[1] < n_bars * beats_per_bar]
    if not notes:
        return None
    notes.sort(key=lambda n: n[1])
    onsets, written, lengths, pitches = (np.array(column) for column in zip(*notes, strict=True))
    return Performance(name, tune_of(name), tempo, beats_per_bar, beats, onsets, written,
                       lengths, pitches.astype(np.int64))


def read_performances(corpus: Path, names: set[str] | None = None) -> list[Performance]:
    """Every measurable solo of ``corpus`` (of ``names`` only, if given), by name."""
    found = sorted(p.stem for p in (corpus / MELODY_DIR).glob("*.csv"))
    picked = [n for n in found if names is None or n in names]
    return [p for p in (read_performance(corpus, n) for n in picked) if p is not None]
