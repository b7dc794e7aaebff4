"""Solos from your own MIDI files: a melody track over chords read from the file.

For each file:

* **Parts.** Each track is a part; a track that plays on several channels (a type-0 file) is
  split into one part per channel. A part is named on the command line by its track name or by
  its key: the track index as listed in the report (``11``), or ``track.channel`` (``0.3``,
  channels counted 1-16) for a split track. Channel 10 is drums and never carries pitches.
* **Window.** ``--window START:END`` keeps bars START to END (1-based, both included; either
  side may be left open). Bars follow the file's time signatures (4/4 when it has none).
* **Melody.** The named part, or automatically the most melodic monophonic part: few
  overlapping notes, a register above the bass, motion mostly by steps and small leaps, enough
  notes (``melody_score``). Overlapping notes are reduced to a line: of notes starting together
  the highest is kept, and each note ends at the next onset at the latest. The report ranks the
  candidates so the user can override the choice with ``--melody-track``.
* **Chords.** From chord symbols in text or marker events when the file has them (and no
  ``--chord-tracks`` was given); otherwise recognized from the accompaniment parts (default: all
  other pitched parts) per half bar, or per beat where the beats of a half bar spell different
  chords that fit them clearly better (harmony moving faster). A chord holds while it fits as
  well as a new reading, and through stretches where nothing is recognized. The report shows
  the chords as a lead sheet.
* **Grid.** Times go onto the 12-ticks-a-beat grid (quarter-note beats) from the first bar of
  the window; a silence of more than ``SPLIT_SILENCE_BEATS`` in the melody splits it into
  separate solos (so a tacet stretch does not train the model to rest for bars on end).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.features import BarLines, Meter, RegularMeter
from live_jazz.theory import ChordTimeline
from training.midi_chords import chord_symbols, lead_sheet_text, recognize_timeline, text_timeline
from training.midi_parts import (
    MIN_MELODY_NOTES,
    Part,
    find_part,
    melody_line,
    melody_score,
    read_parts,
    to_grid,
)
from training.solo import DEFAULT_TEMPO, CorpusError, Solo, SoloError

log = logging.getLogger(__name__)
MIDI_SUFFIXES = (".mid", ".midi", ".smf", ".kar")
SPLIT_SILENCE_BEATS = 8
"""A longer silence in the melody starts a new solo."""


class MidiFileError(Exception):
    """A file that is not readable MIDI; it is skipped with a warning."""


@dataclass(frozen=True)
class Window:
    """Bars START to END, 1-based and both included; None leaves a side open."""

    start: int | None = None
    """First bar kept; None: from the first bar."""
    end: int | None = None
    """Last bar kept; None: to the last bar."""

    def __str__(self) -> str:
        return f"{self.start or ''}:{self.end or ''}"


def parse_window(text: str) -> Window:
    """``START:END`` in bars (``120:137``, ``120:``, ``:16``); ValueError if malformed."""
    head, sep, tail = text.partition(":")
    if not sep:
        raise ValueError(f"window {text!r} is not START:END (bars, e.g. 120:137)")
    try:
        start = int(head) if head.strip() else None
        end = int(tail) if tail.strip() else None
    except ValueError:
        raise ValueError(f"window {text!r} is not START:END (bars, e.g. 120:137)") from None
    if (start is not None and start < 1) or (end is not None and end < 1):
        raise ValueError(f"window {text!r}: bars count from 1")
    if start is not None and end is not None and end < start:
        raise ValueError(f"window {text!r}: END is before START")
    return Window(start, end)


@dataclass(frozen=True)
class MidiOptions:
    """How to read the files (the ``--melody-track``, ``--chord-tracks``, ``--window`` options)."""

    melody_track: str | None = None
    """Name or key of the melody part; None chooses automatically."""
    chord_tracks: tuple[str, ...] | None = None
    """Names or keys of the parts to read chords from; None: text chords, else all others."""
    window: Window = field(default_factory=Window)
    """Bars to keep."""


@dataclass(frozen=True)
class MidiReading:
    """What was read from one file, for the report and for training."""

    path: Path
    """The file."""
    solos: tuple[Solo, ...]
    """The melody as solos (split at long silences)."""
    melody: Part
    """The melody part."""
    melody_chosen: str
    """'named' or 'automatic'."""
    ranking: tuple[tuple[Part, float], ...]
    """Candidate melody parts with their scores, best first."""
    chord_source: str
    """Where the chords came from, in words."""
    bars: tuple[int, int]
    """First and last bar read (1-based)."""
    lead_sheet: str
    """The chords of those bars as lead-sheet text."""

    def describe(self) -> str:
        """A few lines for the user: melody choice, chord source, lead sheet."""
        n_notes = sum(len(s.notes) for s in self.solos)
        lines = [
            f"{self.path}: bars {self.bars[0]}-{self.bars[1]}",
            f"  melody: track {self.melody.label()} ({self.melody_chosen}), {n_notes} notes"
            f" in {len(self.solos)} solo{'s' if len(self.solos) != 1 else ''}",
        ]
        if self.melody_chosen == "automatic" and len(self.ranking) > 1:
            others = ", ".join(f"{p.label()} {s:.2f}" for p, s in self.ranking[1:4])
            lines.append(
                f"    (score {self.ranking[0][1]:.2f}; next: {others}; "
                "override with --melody-track NAME|INDEX)"
            )
        lines.append(f"  chords: {self.chord_source}")
        lines += ["    " + line for line in self.lead_sheet.splitlines()]
        return "\n".join(lines)


def midi_files(paths: Iterable[Path]) -> list[Path]:
    """The MIDI files among ``paths``, folders searched recursively; CorpusError if a path
    does not exist."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MIDI_SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CorpusError(f"MIDI file or folder not found: {path}")
    return found


def load_midi_corpus(
    paths: Sequence[Path], options: MidiOptions = MidiOptions()
) -> tuple[list[Solo], list[MidiReading]]:
    """Solos from MIDI files and folders, with what was read from each file.

    A corrupt file is skipped with a warning. A readable file with no usable melody or no
    recognizable harmony is a CorpusError naming the file and what is missing: the user chose
    it, so training on the others without it would hide the problem.
    """
    files = midi_files(paths)
    if not files:
        where = ", ".join(map(str, paths))
        raise CorpusError(f"no MIDI files ({', '.join(MIDI_SUFFIXES)}) in {where}")
    solos: list[Solo] = []
    readings: list[MidiReading] = []
    names: set[str] = set()
    for path in files:
        try:
            reading = read_midi(path, options, taken=names)
        except MidiFileError as error:
            log.warning("skipping %s: %s", path, error)
            continue
        except SoloError as error:
            raise CorpusError(f"{path}: {error}") from error
        readings.append(reading)
        solos += reading.solos
        names.update(s.name for s in reading.solos)
    if not solos:
        raise CorpusError("no readable MIDI file among " + ", ".join(map(str, files)))
    return solos, readings


def open_midi(path: Path) -> mido.MidiFile:
    """The parsed file; MidiFileError if it is not readable MIDI."""
    try:
        return mido.MidiFile(path, clip=True)
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError) as error:
        raise MidiFileError(f"not a readable MIDI file ({error})") from error


def read_midi(
    path: Path, options: MidiOptions = MidiOptions(), *, taken: Iterable[str] = ()
) -> MidiReading:
    """Read one file (see the module doc). Raises MidiFileError for a corrupt file and
    SoloError naming what is missing (melody, harmony) for an unusable one."""
    midi = open_midi(path)
    tpb = midi.ticks_per_beat
    parts = read_parts(midi)
    end_tick = max((n.end for p in parts for n in p.notes), default=0)
    starts = bar_starts(midi, end_tick)
    first_bar, last_bar = _window_bars(options.window, len(starts) - 1)
    lo, hi = starts[first_bar - 1], starts[last_bar]

    pitched = [p for p in parts if not p.is_drums and p.notes]
    bars = (first_bar, last_bar)
    melody, chosen, ranking, line = _choose_melody(parts, pitched, options, lo, hi, tpb, bars)
    timeline, source = _read_chords(midi, parts, pitched, melody, options,
                                    starts[first_bar - 1 : last_bar + 1], bars)
    grid_starts = [to_grid(t - lo, tpb) for t in starts[first_bar - 1 : last_bar + 1]]
    lead_sheet = lead_sheet_text(timeline, grid_starts)
    meter = BarLines(tuple(grid_starts)) if len(grid_starts) >= 2 else RegularMeter()
    solos = _solos(path.stem, line, timeline, taken, meter, first_tempo(midi))
    if not solos:
        raise SoloError(
            f"no usable melody: track {melody.label()} plays no stretch of "
            f"{MIN_MELODY_NOTES} notes in bars {first_bar}-{last_bar}"
        )
    return MidiReading(
        path, tuple(solos), melody, chosen, ranking, source, (first_bar, last_bar), lead_sheet
    )


def _choose_melody(
    parts: Sequence[Part], pitched: Sequence[Part], options: MidiOptions, lo: int, hi: int,
    tpb: int, bars: tuple[int, int],
) -> tuple[Part, str, tuple[tuple[Part, float], ...], list[Note]]:
    """The melody part (named, or the best ranked), how it was chosen, the ranking and its
    line in [lo, hi); SoloError if there is none."""
    first_bar, last_bar = bars
    if not pitched:
        raise SoloError("no usable melody: the file has no pitched notes")
    ranking = tuple(
        sorted(
            ((p, melody_score(p.between(lo, hi), tpb)) for p in pitched), key=lambda item: -item[1]
        )
    )
    if options.melody_track is not None:
        melody = find_part(parts, options.melody_track)
        if melody.is_drums:
            raise SoloError(f"no usable melody: track {melody.label()} is a drum track")
        chosen = "named"
    else:
        melody, score = ranking[0]
        if score <= 0:
            raise SoloError(
                f"no usable melody: no track plays a line of at least {MIN_MELODY_NOTES} notes "
                f"in bars {first_bar}-{last_bar}"
            )
        chosen = "automatic"
    line = melody_line(melody.between(lo, hi), lo, hi, tpb)
    if len(line) < MIN_MELODY_NOTES:
        raise SoloError(
            f"no usable melody: track {melody.label()} has {len(line)} notes in bars "
            f"{first_bar}-{last_bar} (at least {MIN_MELODY_NOTES} needed)"
        )
    return melody, chosen, ranking, line


def _read_chords(
    midi: mido.MidiFile, parts: Sequence[Part], pitched: Sequence[Part], melody: Part,
    options: MidiOptions, starts: Sequence[int], bars: tuple[int, int],
) -> tuple[ChordTimeline, str]:
    """The chords over the bars that start at ``starts`` (the last ending the last bar) and
    where they came from: the file's chord symbols, else recognized from the accompaniment."""
    tpb = midi.ticks_per_beat
    lo, hi = starts[0], starts[-1]
    text_chords = chord_symbols(midi) if options.chord_tracks is None else []
    if text_chords:
        return text_timeline(text_chords, lo, hi, tpb), \
            "chord symbols in the file's text/marker events"
    if options.chord_tracks is None:
        accompaniment = [p for p in pitched if p is not melody]
    else:
        accompaniment = [find_part(parts, key) for key in options.chord_tracks]
    names = ", ".join(p.label() for p in accompaniment) or "none"
    recognized = recognize_timeline(accompaniment, starts, tpb)
    if recognized is None:
        raise SoloError(
            "no recognizable harmony: no chord symbols in text/marker events, and the "
            f"chord tracks ({names}) spell no chord in bars {bars[0]}-{bars[1]}"
        )
    return recognized, f"recognized from tracks {names}"


def bar_starts(midi: mido.MidiFile, end_tick: int) -> list[int]:
    """MIDI ticks where bars start (bar 1 at 0), through the first bar start at or after
    ``end_tick``; a time signature change starts a new bar."""
    tpb = midi.ticks_per_beat
    changes: dict[int, int] = {0: 4 * tpb}
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "time_signature":
                changes[tick] = max(1, message.numerator * 4 * tpb // message.denominator)
    points = sorted(changes.items())
    starts = [0]
    for number, (tick, length) in enumerate(points):
        until = points[number + 1][0] if number + 1 < len(points) else None
        if tick > starts[-1]:
            starts.append(tick)  # a change in mid-bar cuts the bar short
        while (until is None and starts[-1] < end_tick) or (
            until is not None and starts[-1] + length < until
        ):
            starts.append(starts[-1] + length)
    if len(starts) == 1:
        starts.append(4 * tpb)
    return starts


def _window_bars(window: Window, n_bars: int) -> tuple[int, int]:
    first = window.start or 1
    last = min(window.end or n_bars, n_bars)
    if first > n_bars:
        raise SoloError(f"no usable melody: window {window} starts after the last bar ({n_bars})")
    return first, last


def first_tempo(midi: mido.MidiFile) -> float:
    """The file's first tempo in BPM (MIDI's default, 120, if it sets none)."""
    for track in midi.tracks:
        for message in track:
            if message.type == "set_tempo":
                return float(mido.tempo2bpm(message.tempo))
    return DEFAULT_TEMPO


def _solos(stem: str, line: list[Note], chords: ChordTimeline, taken: Iterable[str],
           meter: Meter, tempo: float) -> list[Solo]:
    """The line cut at silences longer than SPLIT_SILENCE_BEATS, pieces that are too short
    dropped; names unique against ``taken``."""
    gap = SPLIT_SILENCE_BEATS * TICKS_PER_BEAT
    pieces: list[list[Note]] = [[]]
    for note in line:
        if pieces[-1] and note.onset - (pieces[-1][-1].onset + pieces[-1][-1].duration) > gap:
            pieces.append([])
        pieces[-1].append(note)
    kept = [p for p in pieces if len(p) >= MIN_MELODY_NOTES]
    used = set(taken)
    solos = []
    for number, piece in enumerate(kept, start=1):
        name = stem if len(kept) == 1 else f"{stem}#{number}"
        while name in used:
            name += "'"
        used.add(name)
        solos.append(Solo(name, tuple(piece), chords, meter, tempo))
    return solos
