"""A tiny Weimar-Jazz-Database-style corpus written by the tests."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

MELODY_HEADER = ["bar", "beat", "beatdur", "denom", "division", "duration", "num", "onset",
                 "period", "pitch", "subtatum", "tatum"]
BEATS_HEADER = ["bar", "bass_pitch", "beat", "chord", "chorus_id", "form", "onset", "signature"]
CHANGES = ["Bb6", "G7", "C-7", "F7", "Bbj7", "Eb7", "D-7", "G79b"]


def write_solo(root: Path, name: str, rng: np.random.Generator, bars: int = 16) -> None:
    """A solo of eighths and triplets over a two-chords-a-bar progression."""
    beat_seconds = 0.5
    beats, notes = [], []
    pitch = 65
    for bar in range(1, bars + 1):
        for beat in range(1, 5):
            onset = ((bar - 1) * 4 + beat - 1) * beat_seconds
            change = CHANGES[((bar - 1) * 2 + (beat - 1) // 2) % len(CHANGES)]
            chord = change if beat in (1, 3) else ""
            form = "A1" if bar == 1 and beat == 1 else ""
            beats.append([bar, 40, beat, chord, 1, form, onset, ""])
            division = int(rng.choice([1, 2, 2, 3, 4]))
            for tatum in range(1, division + 1):
                if rng.random() < 0.15:
                    continue
                pitch = int(np.clip(pitch + rng.integers(-4, 5), 55, 80))
                duration = beat_seconds / division * 0.9
                notes.append([bar, beat, beat_seconds, 4, division, duration, 4,
                              onset + (tatum - 1) * beat_seconds / division, 4, float(pitch), 0,
                              tatum])
    for folder, header, rows in (("csv_melody", MELODY_HEADER, notes),
                                 ("csv_beats", BEATS_HEADER, beats)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        with (root / folder / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)


@pytest.fixture
def weights_with_split(tmp_path: Path, random_weights_dir: Path):
    """Makes a copy of the random test weights whose config holds a train/validation split of
    solo names (what the benchmarks read the split from)."""
    from live_jazz.model.bundle import CONFIG_FILE

    def make(train: list[str], validation: list[str]) -> Path:
        directory = tmp_path / "weights"
        shutil.copytree(random_weights_dir, directory)
        split = {"train": train, "validation": validation}
        (directory / CONFIG_FILE).write_text(json.dumps({"split": split}), encoding="utf-8")
        return directory

    return make


@pytest.fixture(scope="session")
def solo_writer():
    """``write_solo`` for fixtures of wider scope."""
    return write_solo


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Six solos in WJazzD CSV layout."""
    root = tmp_path / "wjazzd"
    rng = np.random.default_rng(1)
    for i in range(6):
        write_solo(root, f"Player{i}_Tune_Solo", rng)
    return root


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """../shared/corpora beside the checkout; tests that need it skip where it is absent."""
    path = Path(__file__).resolve().parents[3] / "shared" / "corpora"
    if not (path / "wjazzd" / "csv_melody").is_dir():
        pytest.skip(f"training corpus not found at {path}")
    return path
