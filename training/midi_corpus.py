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
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.features import BarLines, Meter, RegularMeter
from live_jazz.theory import Chord, ChordSymbolError, ChordTimeline, Progression, parse_chord
from live_jazz.theory.recognition import (
    MIN_SCORE,
    Candidate,
    chord_of,
    rank_chords,
    template_match,
)
from training.solo import DEFAULT_TEMPO, CorpusError, Solo, SoloError

log = logging.getLogger(__name__)

MIDI_SUFFIXES = (".mid", ".midi", ".smf", ".kar")
DRUM_CHANNEL = 9
"""Channel 10 (counted from 1): General MIDI percussion."""
MIN_MELODY_NOTES = 8
"""A solo needs at least this many notes."""
SPLIT_SILENCE_BEATS = 8
"""A longer silence in the melody starts a new solo."""
BEAT_SPLIT_MARGIN = 0.1
"""Beats of a half bar get their own chords only if these fit them this much better (mean
cosine) than the half's chord does."""
_TEXT_EVENTS = ("text", "marker", "cue_marker", "lyrics")


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
class MidiNote:
    """A note in MIDI ticks."""

    start: int
    """Tick of the note-on."""
    end: int
    """Tick of the note-off (after ``start``)."""
    pitch: int
    """MIDI note number."""
    velocity: int
    """Note-on velocity 1-127."""


@dataclass(frozen=True)
class Part:
    """The notes of one track (or of one channel of a multi-channel track)."""

    key: str
    """Track index, or ``track.channel`` (channel 1-16) for a split track."""
    name: str
    """Track name (with the channel for a split track)."""
    channel: int
    """MIDI channel 0-15."""
    notes: tuple[MidiNote, ...]
    """Sorted by start, then pitch."""

    @property
    def is_drums(self) -> bool:
        return self.channel == DRUM_CHANNEL

    def label(self) -> str:
        return f"{self.key} {self.name!r}"

    def between(self, start: int, end: int) -> list[MidiNote]:
        """Notes starting in [start, end)."""
        return [n for n in self.notes if start <= n.start < end]


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


# --- files -------------------------------------------------------------------------------


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

    text_chords = chord_symbols(midi) if options.chord_tracks is None else []
    if text_chords:
        timeline = _text_timeline(text_chords, lo, hi, tpb)
        source = "chord symbols in the file's text/marker events"
    else:
        if options.chord_tracks is None:
            accompaniment = [p for p in pitched if p is not melody]
        else:
            accompaniment = [find_part(parts, key) for key in options.chord_tracks]
        names = ", ".join(p.label() for p in accompaniment) or "none"
        recognized = recognize_timeline(accompaniment, starts[first_bar - 1 : last_bar + 1], tpb)
        if recognized is None:
            raise SoloError(
                "no recognizable harmony: no chord symbols in text/marker events, and the "
                f"chord tracks ({names}) spell no chord in bars {first_bar}-{last_bar}"
            )
        timeline, source = recognized, f"recognized from tracks {names}"
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


# --- parts and bars ----------------------------------------------------------------------


def read_parts(midi: mido.MidiFile) -> list[Part]:
    """Every track's notes, a multi-channel track split by channel."""
    parts: list[Part] = []
    for index, track in enumerate(midi.tracks):
        by_channel: dict[int, list[MidiNote]] = {}
        sounding: dict[tuple[int, int], list[tuple[int, int]]] = {}
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "note_on" and message.velocity > 0:
                sounding.setdefault((message.channel, message.note), []).append(
                    (tick, message.velocity)
                )
            elif message.type in ("note_on", "note_off"):
                started = sounding.get((message.channel, message.note))
                if started:
                    begin, velocity = started.pop(0)
                    by_channel.setdefault(message.channel, []).append(
                        MidiNote(begin, max(tick, begin + 1), message.note, velocity)
                    )
        for (channel, pitch), left in sounding.items():  # never released: end with the track
            for begin, velocity in left:
                by_channel.setdefault(channel, []).append(
                    MidiNote(begin, max(tick, begin + 1), pitch, velocity)
                )
        name = track.name.strip() or f"track {index}"
        if not by_channel:
            parts.append(Part(str(index), name, 0, ()))
        for channel, notes in sorted(by_channel.items()):
            split = len(by_channel) > 1
            parts.append(
                Part(
                    f"{index}.{channel + 1}" if split else str(index),
                    f"{name} ch{channel + 1}" if split else name,
                    channel,
                    tuple(sorted(notes, key=lambda n: (n.start, n.pitch))),
                )
            )
    return parts


def find_part(parts: Sequence[Part], wanted: str) -> Part:
    """The part named or keyed ``wanted``: key, exact name (any case), or unique name part."""
    text = wanted.strip()
    for matches in (
        [p for p in parts if p.key == text],
        [p for p in parts if p.name.lower() == text.lower()],
        [p for p in parts if text.lower() in p.name.lower()],
        [p for p in parts if p.key.split(".")[0] == text],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise SoloError(
                f"track {wanted!r} is ambiguous: {', '.join(p.label() for p in matches)}"
            )
    listing = ", ".join(p.label() for p in parts if p.notes)
    raise SoloError(f"no track {wanted!r} (tracks with notes: {listing or 'none'})")


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


def to_grid(ticks: int, tpb: int) -> int:
    """MIDI ticks to ticks of the 12-a-beat grid, rounded."""
    return round(ticks * TICKS_PER_BEAT / tpb)


# --- melody ------------------------------------------------------------------------------


def melody_score(notes: Sequence[MidiNote], tpb: int) -> float:
    """How much a part sounds like a solo line (0 for fewer than MIN_MELODY_NOTES notes).

    Monophony (share of notes not overlapping another by more than a 32nd, squared) times a
    register above the bass, times motion by steps and small leaps, times the square root of
    the number of notes in the line: a solo plays long, so a few fills on another track
    (Metheny: 95 notes of electric piano over 218 bars) do not beat a guitar that solos for
    hundreds of notes and comps elsewhere.
    """
    if len(notes) < MIN_MELODY_NOTES:
        return 0.0
    tolerance = tpb // 8
    overlapped = 0
    latest_end = -1
    for index, note in enumerate(notes):
        same_onset = index + 1 < len(notes) and notes[index + 1].start - note.start < tolerance
        if latest_end - note.start > tolerance or same_onset:
            overlapped += 1
        latest_end = max(latest_end, note.end)
    mono = 1 - overlapped / len(notes)
    mean_pitch = sum(n.pitch for n in notes) / len(notes)
    register = min(1.0, max(0.1, (mean_pitch - 40) / 15))  # full from G3 up, little for bass
    leaps = [abs(b.pitch - a.pitch) for a, b in zip(notes, notes[1:], strict=False)]
    stepwise = sum(1 for leap in leaps if 0 < leap <= 5) / max(1, len(leaps))
    return mono**2 * register * (0.5 + 0.5 * stepwise) * math.sqrt(mono * len(notes))


def melody_line(notes: Sequence[MidiNote], lo: int, hi: int, tpb: int) -> list[Note]:
    """The notes starting in [lo, hi) as a line on the grid (from ``lo``): of notes starting
    on the same grid tick the highest is kept, and a note ends at the next onset at the latest
    (and at ``hi``)."""
    by_onset: dict[int, MidiNote] = {}
    for note in notes:
        if lo <= note.start < hi:
            onset = to_grid(note.start - lo, tpb)
            if onset not in by_onset or note.pitch > by_onset[onset].pitch:
                by_onset[onset] = note
    onsets = sorted(by_onset)
    limit = to_grid(hi - lo, tpb)
    line = []
    for index, onset in enumerate(onsets):
        note = by_onset[onset]
        end = min(to_grid(note.end - lo, tpb), limit)
        if index + 1 < len(onsets):
            end = min(end, onsets[index + 1])
        line.append(Note(onset, max(1, end - onset), note.pitch, max(1, note.velocity)))
    return line


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


# --- chords ------------------------------------------------------------------------------


def chord_symbols(midi: mido.MidiFile) -> list[tuple[int, Chord]]:
    """(tick, chord) of the text/marker events that are chord symbols, in time order; empty
    unless there are at least two and they are at least half of those events (so that section
    letters or titles among other text are not taken for chords)."""
    texts: list[tuple[int, str]] = []
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type in _TEXT_EVENTS and message.text.strip():
                texts.append((tick, message.text.strip()))
    chords = []
    for tick, text in texts:
        try:
            chords.append((tick, parse_chord(text)))
        except ChordSymbolError:
            continue
    if len(chords) < 2 or 2 * len(chords) < len(texts):
        return []
    return sorted(chords, key=lambda item: item[0])


def _text_timeline(chords: list[tuple[int, Chord]], lo: int, hi: int, tpb: int) -> ChordTimeline:
    """The chord symbols as a timeline from ``lo`` (the chord sounding at ``lo`` first)."""
    before = [chord for tick, chord in chords if tick <= lo]
    changes = [(0, before[-1] if before else chords[0][1])]
    for tick, chord in chords:
        if lo < tick < hi:
            _add_change(changes, to_grid(tick - lo, tpb), chord)
    return ChordTimeline(tuple(changes))


def _add_change(changes: list[tuple[int, Chord]], start: int, chord: Chord) -> None:
    """Append a change, merging repeats and changes on the same tick (the later one wins)."""
    if changes and changes[-1][0] >= start:
        changes[-1] = (changes[-1][0], chord)
        if len(changes) > 1 and changes[-2][1] == chord:
            changes.pop()
    elif not changes or changes[-1][1] != chord:
        changes.append((start, chord))


def _reading(
    notes: Sequence[MidiNote], start: int, end: int
) -> tuple[list[float], Candidate | None]:
    """The weight of each pitch class sounding in [start, end) (how long it sounds), and the
    best chord reading of it, with the lowest note sounding at the first onset as the bass
    (None where no chord fits, ``MIN_SCORE``)."""
    weights = [0.0] * 12
    sounding = [n for n in notes if n.start < end and n.end > start]
    for note in sounding:
        weights[note.pitch % 12] += min(note.end, end) - max(note.start, start)
    if not sounding:
        return weights, None
    first = min(max(n.start, start) for n in sounding)
    bass = min(n.pitch for n in sounding if n.start <= first < n.end or n.start == first) % 12
    best = rank_chords(weights, bass)[0]
    return weights, best if best.match >= MIN_SCORE else None


def _beats_differ(
    half: Candidate | None, beats: list[tuple[list[float], Candidate | None]]
) -> bool:
    """Whether the beats spell different chords of their own that fit them clearly better, on
    average, than the half's chord does (``BEAT_SPLIT_MARGIN``): Dm7 G7 in two beats, not a
    held Dm7 over a walking bass."""
    read = [(weights, best) for weights, best in beats if best is not None]
    if len(read) < max(2, len(beats)) or len({(c.root, c.template) for _, c in read}) < 2:
        return False
    gains = [
        best.match - (template_match(weights, half.root, half.template) if half else 0.0)
        for weights, best in read
    ]
    return sum(gains) / len(gains) >= BEAT_SPLIT_MARGIN


def recognize_timeline(
    parts: Sequence[Part], starts: Sequence[int], tpb: int
) -> ChordTimeline | None:
    """Chords recognized from ``parts`` over the bars that start at ``starts`` (the last entry
    ends the last bar), on the grid from ``starts[0]``; None if no stretch spells a chord.

    Bars split into halves where their beat count is even (whole bars where it is odd); a half
    splits into its beats where each beat spells its own chord clearly better than the half's
    chord fits it (``_beats_differ``). Slash basses are left out: walking bass lines would
    clutter the lead sheet, and the values only use root and tones.
    """
    notes = sorted((n for p in parts for n in p.notes), key=lambda n: n.start)
    lo, hi = starts[0], starts[-1]
    notes = [n for n in notes if n.start < hi and n.end > lo]
    segments: list[tuple[int, list[float], Candidate | None]] = []
    for bar_start, bar_end in zip(starts, starts[1:], strict=False):
        beats = max(1, round((bar_end - bar_start) / tpb))
        halves = 2 if beats % 2 == 0 else 1
        for half in range(halves):
            h0 = bar_start + (bar_end - bar_start) * half // halves
            h1 = bar_start + (bar_end - bar_start) * (half + 1) // halves
            n_beats = beats // halves
            bounds = [h0 + (h1 - h0) * k // n_beats for k in range(n_beats + 1)]
            by_beat = [_reading(notes, a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
            weights, best = _reading(notes, h0, h1)
            if _beats_differ(best, by_beat):
                segments += [(a, *reading) for a, reading in zip(bounds, by_beat, strict=False)]
            else:
                segments.append((h0, weights, best))
    changes: list[tuple[int, Chord]] = []
    held: Candidate | None = None
    for tick, weights, best in segments:
        if best is None:
            continue
        # A chord holds while it fits as well as the new reading: the bass walking to the
        # third of Dm7 makes the same notes read F6.
        if held is None or template_match(weights, held.root, held.template) < best.match - 1e-9:
            held = best
        _add_change(changes, to_grid(tick - lo, tpb), chord_of(held))
    if not changes:
        return None
    changes[0] = (0, changes[0][1])
    return ChordTimeline(tuple(changes))


def lead_sheet_text(timeline: ChordTimeline, bar_starts_grid: Sequence[int]) -> str:
    """The chords of the bars (grid ticks of their starts, the last ending the last bar) as
    lead-sheet text: each bar written with as few evenly spaced chords as show its changes
    on the beat."""
    bars = []
    for start, end in zip(bar_starts_grid, bar_starts_grid[1:], strict=False):
        n_beats = max(1, (end - start) // TICKS_PER_BEAT)
        beat_chords = [timeline.chord_at(start + k * TICKS_PER_BEAT) for k in range(n_beats)]
        bars.append(_fewest_slots(beat_chords))
    return Progression(tuple(bars), beats_per_bar=4).to_text()


def _fewest_slots(beat_chords: list[Chord]) -> tuple[Chord, ...]:
    """The fewest equal slots that keep each beat's chord (C C F F -> C F)."""
    n = len(beat_chords)
    for slots in range(1, n + 1):
        if n % slots:
            continue
        size = n // slots
        groups = [beat_chords[k * size : (k + 1) * size] for k in range(slots)]
        if all(len(set(group)) == 1 for group in groups):
            return tuple(group[0] for group in groups)
    return tuple(beat_chords)
