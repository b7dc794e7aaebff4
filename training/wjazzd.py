"""Weimar Jazz Database (Jazzomat Research Project, ODbL 1.0) solos from its CSV export.

``csv_melody/<name>.csv`` has one row per note, ``csv_beats/<name>.csv`` one row per beat with
the chord changes. Notes join the beat grid on (bar, beat), not on onset seconds: players often
sit slightly ahead of the beat, and the transcribers already placed each note metrically.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from statistics import median

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.features import BarLines, Meter, RegularMeter
from live_jazz.theory import Chord, ChordSymbolError, ChordTimeline, parse_chord
from training.solo import DEFAULT_TEMPO, Solo, SoloError

log = logging.getLogger(__name__)

MELODY_DIR = "csv_melody"
BEATS_DIR = "csv_beats"


def is_wjazzd(path: Path) -> bool:
    """Whether ``path`` looks like the WJazzD CSV export."""
    return (path / MELODY_DIR).is_dir() and (path / BEATS_DIR).is_dir()


def load(path: Path) -> list[Solo]:
    """Every solo that has both a melody and a beats file; bad ones are skipped with a warning."""
    solos = []
    for melody in sorted((path / MELODY_DIR).glob("*.csv")):
        try:
            solos.append(load_solo(melody, path / BEATS_DIR / melody.name))
        except SoloError as error:
            log.warning("skipping %s: %s", melody.name, error)
    return solos


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SoloError(f"cannot read {path.name}: {error}") from error


def _bar_lines(beats: list[dict[str, str]]) -> Meter:
    """The bar lines (ticks of every first beat), so meter changes count from their own bar
    lines; 4/4 from the first beat if there are too few."""
    starts = tuple(i * TICKS_PER_BEAT for i, row in enumerate(beats) if row.get("beat") == "1")
    return BarLines(starts) if len(starts) >= 2 else RegularMeter()


def _tempo(beats: list[dict[str, str]]) -> float:
    """The solo's tempo: 60 over its median beat length in seconds."""
    try:
        onsets = [float(row["onset"]) for row in beats]
    except (KeyError, ValueError):
        return DEFAULT_TEMPO
    lengths = [b - a for a, b in zip(onsets, onsets[1:], strict=False) if b > a]
    return 60.0 / median(lengths) if lengths else DEFAULT_TEMPO


def _chord_grid(beats: list[dict[str, str]]) -> tuple[dict[tuple[int, int], int], ChordTimeline]:
    """Beat index of each (bar, beat), and the chord timeline in ticks from the first beat."""
    index: dict[tuple[int, int], int] = {}
    changes: list[tuple[int, Chord]] = []
    for i, row in enumerate(beats):
        try:
            index[(int(row["bar"]), int(row["beat"]))] = i
        except (KeyError, ValueError) as error:
            raise SoloError(f"beats row {i + 2}: bad bar/beat") from error
        symbol = (row.get("chord") or "").strip()
        if symbol:
            try:
                chord = parse_chord(symbol)
            except ChordSymbolError as error:
                raise SoloError(f"bar {row['bar']}: {error}") from error
            changes.append((i * TICKS_PER_BEAT, chord))
    if not changes:
        raise SoloError("no chord changes")
    # Before the first change (pickups) the first chord is taken to sound already.
    changes[0] = (0, changes[0][1])
    return index, ChordTimeline(tuple(changes))


def load_solo(melody_path: Path, beats_path: Path) -> Solo:
    """One solo; raises SoloError naming the reason."""
    if not beats_path.is_file():
        raise SoloError(f"no beats file {beats_path.name}")
    beats = _rows(beats_path)
    beat_index, chords = _chord_grid(beats)
    notes = []
    for line, row in enumerate(_rows(melody_path), start=2):
        try:
            beat = beat_index[(int(row["bar"]), int(row["beat"]))]
            division, tatum = int(row["division"]), int(row["tatum"])
            position = round((tatum - 1) * TICKS_PER_BEAT / max(division, 1))
            length = round(float(row["duration"]) / float(row["beatdur"]) * TICKS_PER_BEAT)
            pitch = round(float(row["pitch"]))
        except KeyError as error:
            raise SoloError(f"melody row {line}: bar/beat not on the beat grid") from error
        except (ValueError, ZeroDivisionError) as error:
            raise SoloError(f"melody row {line}: {error}") from error
        if not 0 <= pitch <= 127:
            raise SoloError(f"melody row {line}: pitch {pitch} out of MIDI range")
        notes.append(Note(beat * TICKS_PER_BEAT + position, max(1, length), pitch))
    if not notes:
        raise SoloError("no notes")
    return Solo(melody_path.stem, tuple(notes), chords, _bar_lines(beats), _tempo(beats))
