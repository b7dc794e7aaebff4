"""The parts of a MIDI file and the choice of the melody among them.

Each track is a part; a track that plays on several channels (a type-0 file) is split into one
part per channel, named by ``track.channel``. Channel 10 is drums and never carries pitches.
The melody is the named part or the most melodic monophonic one (``melody_score``: few
overlapping notes, a register above the bass, motion mostly by steps and small leaps, enough
notes), reduced to a line (``melody_line``). See ``midi_corpus`` for the whole reading.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note
from training.solo import SoloError

DRUM_CHANNEL = 9
"""Channel 10 (counted from 1): General MIDI percussion."""
MIN_MELODY_NOTES = 8
"""A solo needs at least this many notes."""


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


def to_grid(ticks: int, tpb: int) -> int:
    """MIDI ticks to ticks of the 12-a-beat grid, rounded."""
    return round(ticks * TICKS_PER_BEAT / tpb)


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
