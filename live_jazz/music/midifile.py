"""Standard MIDI files: writing named tracks of grid notes (swung on the way out), reading a phrase.

``write_midi`` writes a type-1 file: a conductor track (time signature, tempo map) and one track
per ``Track``. It encodes the whole file in memory (straight to bytes: building mido messages
cost ten times more), writes it to a temporary file beside the target and moves it into place
with ``os.replace``, so a reader (or a crash) never sees half a file. The live recorder calls it
again and again as a session grows, from a writer thread: an hour's session (tens of thousands
of notes) encodes in a fraction of a second, yielding the GIL as it goes. Files are read with
mido (``read_notes``).

In a written file every note-on has its note-off: notes of the same pitch on the same channel
that overlap are cut where the next one starts, and at equal times note-offs come first.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.files import write_atomically
from live_jazz.music.swing import STRAIGHT, check_ratio, swung_beat, swung_span

PPQ = 480
"""MIDI ticks per beat of written files (divisible by 12 ticks a beat and by swing's thirds)."""


DRUM_CHANNEL = 9
"""General MIDI's percussion channel (10, 0-based 9): drum hits, not a melody."""


class MidiFileError(ValueError):
    """A MIDI file that cannot be read, with the reason."""


@dataclass(frozen=True)
class PlayedNote:
    """A note where it was played: onset and length in fractional ticks, off the grid."""

    onset: float
    """Start, in ticks (12 a beat) from the start of the file."""
    duration: float
    """Length in ticks."""
    pitch: int
    """MIDI pitch 0-127."""
    velocity: int
    """MIDI velocity 1-127."""


@dataclass(frozen=True)
class Track:
    """One named track of notes on one channel."""

    name: str
    """The track name a DAW shows (e.g. ``improviser``)."""
    channel: int
    """MIDI channel, 0-based (0 is what a DAW calls channel 1)."""
    notes: Sequence[Note | PlayedNote]
    """The notes in ticks (12 a beat), onsets >= 0, any order. Grid notes are swung on the way
    out; played notes (written with ``swing`` 0.5) are kept to the file's resolution."""
    program: int | None = None
    """A General MIDI program (0-127) to select first, or None for the player's default."""


def midi_bytes(
    tracks: Sequence[Track],
    tempo_map: Sequence[tuple[float, float]] = ((0.0, 120.0),),
    beats_per_bar: int = 4,
    swing: float = STRAIGHT,
) -> bytes:
    """The type-1 MIDI file of ``tracks``. ``tempo_map`` is ``(beat, bpm)`` pairs in beat order
    (the first applies from the start); ``swing`` places the grid notes (see ``swing``)."""
    check_ratio(swing)
    if not tempo_map:
        raise ValueError("the tempo map needs at least one (beat, bpm)")
    if not 1 <= beats_per_bar <= 255:
        raise ValueError(f"beats per bar must be 1-255, got {beats_per_bar}")
    # Time signature: beats_per_bar/4, 24 MIDI clocks a click, 8 32nds a quarter.
    conductor: list[Event] = [(0, 0, b"\xff\x58\x04" + bytes((beats_per_bar, 2, 24, 8)))]
    for index, (beat, bpm) in enumerate(tempo_map):
        if not bpm > 0:
            raise ValueError(f"tempo must be positive, got {bpm:g}")
        at = 0 if index == 0 else _ticks(swung_beat(beat * TICKS_PER_BEAT, swing))
        conductor.append((at, 0, b"\xff\x51\x03" + round(60_000_000 / bpm).to_bytes(3, "big")))
    chunks = [_chunk("tempo", conductor)]
    chunks += [_chunk(track.name, _note_events(track, swing)) for track in tracks]
    return b"MThd" + struct.pack(">IHHH", 6, 1, len(chunks), PPQ) + b"".join(chunks)


def write_midi(
    path: Path,
    tracks: Sequence[Track],
    tempo_map: Sequence[tuple[float, float]] = ((0.0, 120.0),),
    beats_per_bar: int = 4,
    swing: float = STRAIGHT,
) -> None:
    """Write ``midi_bytes(...)`` to ``path`` atomically (temporary file, then ``os.replace``)."""
    write_atomically(Path(path), midi_bytes(tracks, tempo_map, beats_per_bar, swing))


def _ticks(beats: float) -> int:
    return round(beats * PPQ)


Event = tuple[int, int, bytes]
"""(MIDI tick, order at equal ticks: meta 0, note-off 1, note-on 2, the event's bytes)."""


def _note_events(track: Track, swing: float) -> list[Event]:
    """Note-on/off events of a track; overlapping notes of one pitch cut at the next onset."""
    if not 0 <= track.channel <= 15:
        raise ValueError(f"channel must be 0-15, got {track.channel}")
    events: list[Event] = []
    if track.program is not None:
        events.append((0, 0, bytes((0xC0 | track.channel, track.program))))
    on, off = 0x90 | track.channel, 0x80 | track.channel
    next_onset: dict[int, int] = {}  # pitch -> onset (MIDI ticks) of its next note
    ordered = sorted(track.notes, key=lambda n: (n.onset, n.pitch), reverse=True)
    for count, note in enumerate(ordered):
        if count % 1024 == 1023:
            time.sleep(0)  # let a waiting thread have the GIL (see _chunk)
        if note.onset < 0:
            raise ValueError(f"note at tick {note.onset}: onsets must be >= 0")
        if not 0 <= note.pitch <= 127:
            raise ValueError(f"note at tick {note.onset}: pitch {note.pitch} is not 0-127")
        start, end = (_ticks(b) for b in swung_span(note.onset, note.duration, swing))
        end = min(max(end, start + 1), next_onset.get(note.pitch, end))
        next_onset[note.pitch] = start
        if end > start:
            velocity = min(max(int(note.velocity), 1), 127)
            events.append((start, 2, bytes((on, note.pitch, velocity))))
            events.append((end, 1, bytes((off, note.pitch, 64))))
    return events


def _chunk(name: str, events: list[Event]) -> bytes:
    """A track chunk: its name, the events in time order as delta times, its end."""
    encoded = name.encode("latin-1", "replace")
    data = bytearray(b"\x00\xff\x03" + _varlen(len(encoded)) + encoded)
    now = 0
    for count, (at, _, message) in enumerate(sorted(events, key=lambda e: (e[0], e[1]))):
        delta = at - now
        data += bytes((delta,)) if delta < 0x80 else _varlen(delta)
        data += message
        now = at
        if count % 1024 == 1023:
            # Let a waiting thread (the engine's timing thread) have the GIL now, not after a
            # whole switch interval: the recorder rewrites long files from a writer thread.
            time.sleep(0)
    data += b"\x00\xff\x2f\x00"
    return b"MTrk" + len(data).to_bytes(4, "big") + bytes(data)


def _varlen(value: int) -> bytes:
    """A MIDI variable-length quantity: 7 bits a byte, most significant first."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def read_notes(path: Path) -> list[Note]:
    """The notes of every track and channel of a MIDI file but the General MIDI drum channel
    (10), on the 12-ticks-a-beat grid (onsets rounded to the nearest tick, durations at least
    a tick), sorted by onset."""
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
            if message.type not in ("note_on", "note_off") or message.channel == DRUM_CHANNEL:
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
