"""Standard MIDI files: writing named tracks of grid notes (swung on the way out), reading a phrase.

``write_midi`` writes a type-1 file: a conductor track (time signature, tempo map) and one track
per ``Track``. It builds the whole file in memory, writes it to a temporary file beside the
target and moves it into place with ``os.replace``, so a reader (or a crash) never sees half a
file; the live recorder calls it again as a session grows, and each call costs about a
millisecond per hundred notes.

In a written file every note-on has its note-off: notes of the same pitch on the same channel
that overlap are cut where the next one starts, and at equal times note-offs come first.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.engine.swing import STRAIGHT, check_ratio, swung_beat, swung_span

PPQ = 480
"""MIDI ticks per beat of written files (divisible by 12 ticks a beat and by swing's thirds)."""


class MidiFileError(ValueError):
    """A MIDI file that cannot be read, with the reason."""


@dataclass(frozen=True)
class Track:
    """One named track of notes on one channel."""

    name: str
    """The track name a DAW shows (e.g. ``improviser``)."""
    channel: int
    """MIDI channel, 0-based (0 is what a DAW calls channel 1)."""
    notes: Sequence[Note]
    """The notes, on the straight 12-ticks-a-beat grid, onsets >= 0; any order."""
    program: int | None = None
    """A General MIDI program (0-127) to select first, or None for the player's default."""


def midi_file(
    tracks: Sequence[Track],
    tempo_map: Sequence[tuple[float, float]] = ((0.0, 120.0),),
    beats_per_bar: int = 4,
    swing: float = STRAIGHT,
) -> mido.MidiFile:
    """The type-1 MIDI file of ``tracks``. ``tempo_map`` is ``(beat, bpm)`` pairs in beat order
    (the first applies from the start); ``swing`` places the grid notes (see ``swing``)."""
    check_ratio(swing)
    if not tempo_map:
        raise ValueError("the tempo map needs at least one (beat, bpm)")
    midi = mido.MidiFile(type=1, ticks_per_beat=PPQ)
    conductor = [
        (0, 0, mido.MetaMessage("time_signature", numerator=beats_per_bar, denominator=4)),
    ]
    for index, (beat, bpm) in enumerate(tempo_map):
        if bpm <= 0:
            raise ValueError(f"tempo must be positive, got {bpm:g}")
        at = 0 if index == 0 else _ticks(swung_beat(beat * TICKS_PER_BEAT, swing))
        conductor.append((at, 1, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm))))
    midi.tracks.append(_track("tempo", conductor))
    for track in tracks:
        midi.tracks.append(_track(track.name, _note_events(track, swing)))
    return midi


def write_midi(
    path: Path,
    tracks: Sequence[Track],
    tempo_map: Sequence[tuple[float, float]] = ((0.0, 120.0),),
    beats_per_bar: int = 4,
    swing: float = STRAIGHT,
) -> None:
    """Write ``midi_file(...)`` to ``path`` atomically (temporary file, then ``os.replace``)."""
    midi = midi_file(tracks, tempo_map, beats_per_bar, swing)
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            midi.save(file=file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _ticks(beats: float) -> int:
    return round(beats * PPQ)


Event = tuple[int, int, mido.Message | mido.MetaMessage]
"""(MIDI tick, order at equal ticks, message)."""


def _note_events(track: Track, swing: float) -> list[Event]:
    """Note-on/off events of a track; overlapping notes of one pitch cut at the next onset."""
    if not 0 <= track.channel <= 15:
        raise ValueError(f"channel must be 0-15, got {track.channel}")
    events: list[Event] = []
    if track.program is not None:
        events.append((0, 0, mido.Message("program_change", channel=track.channel,
                                          program=track.program)))
    channel = track.channel
    ordered = sorted(track.notes, key=lambda n: (n.onset, n.pitch))
    next_onset: dict[int, int] = {}  # pitch -> onset (MIDI ticks) of its next note
    spans = []
    for note in reversed(ordered):
        if note.onset < 0:
            raise ValueError(f"note at tick {note.onset}: onsets must be >= 0")
        start, end = (_ticks(b) for b in swung_span(note.onset, note.duration, swing))
        end = min(max(end, start + 1), next_onset.get(note.pitch, end))
        if end > start:
            spans.append((start, end, note))
        next_onset[note.pitch] = start
    for start, end, note in spans:
        velocity = min(max(int(note.velocity), 1), 127)
        events.append((start, 2, mido.Message("note_on", channel=channel, note=note.pitch,
                                              velocity=velocity)))
        events.append((end, 1, mido.Message("note_off", channel=channel, note=note.pitch)))
    return events


def _track(name: str, events: list[Event]) -> mido.MidiTrack:
    """A track of absolute-time events, as delta times, with its name and end."""
    track = mido.MidiTrack([mido.MetaMessage("track_name", name=name)])
    now = 0
    for at, _, message in sorted(events, key=lambda e: (e[0], e[1])):
        track.append(message.copy(time=at - now))
        now = at
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def read_notes(path: Path) -> list[Note]:
    """The notes of every track and channel of a MIDI file, on the 12-ticks-a-beat grid
    (onsets rounded to the nearest tick, durations at least a tick), sorted by onset."""
    try:
        midi = mido.MidiFile(Path(path))
    except (OSError, EOFError, ValueError, KeyError, IndexError) as error:
        raise MidiFileError(f"{path}: not a readable MIDI file ({error})") from error
    scale = TICKS_PER_BEAT / midi.ticks_per_beat
    notes = []
    for track in midi.tracks:
        now = 0
        sounding: dict[tuple[int, int], tuple[int, int]] = {}  # (channel, pitch) -> on, vel
        for message in track:
            now += message.time
            if message.type not in ("note_on", "note_off"):
                continue
            key = (message.channel, message.note)
            if key in sounding:
                onset, velocity = sounding.pop(key)
                start = round(onset * scale)
                duration = max(1, round(now * scale) - start)
                notes.append(Note(start, duration, message.note, velocity))
            if message.type == "note_on" and message.velocity > 0:
                sounding[key] = (now, message.velocity)
    return sorted(notes, key=lambda n: (n.onset, n.pitch))
