"""Small MIDI files written by the tests: a solo line, comping, bass, drums, chord text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mido

from live_jazz.theory import parse_progression

TPB = 96
"""MIDI ticks a beat of the files written here."""


@dataclass
class Track:
    """One track: (start beat, length in beats, pitch) notes on one channel."""

    name: str
    channel: int = 0
    notes: list[tuple[float, float, int]] = field(default_factory=list)


def write_midi(
    path: Path,
    tracks: Sequence[Track],
    *,
    texts: Sequence[tuple[float, str]] = (),
    text_type: str = "marker",
    single_track: bool = False,
    meters: Sequence[tuple[float, int]] = ((0, 4),),
) -> Path:
    """A type-1 file (tempo track first, then one track each), or with ``single_track`` a
    type-0 file whose one track plays every part on its own channel. ``meters``: (beat, beats
    a bar) of each time signature (quarter-note beats)."""
    meta = [(round(beat * TPB), mido.MetaMessage("time_signature", numerator=n, denominator=4))
            for beat, n in meters]
    meta += [(round(beat * TPB), mido.MetaMessage(text_type, text=text)) for beat, text in texts]
    parts = []
    for track in tracks:
        events = [(0, mido.MetaMessage("track_name", name=track.name))]
        for start, length, pitch in track.notes:
            on, off = round(start * TPB), round((start + length) * TPB)
            events.append((on, mido.Message("note_on", channel=track.channel, note=pitch,
                                            velocity=80)))
            events.append((off, mido.Message("note_off", channel=track.channel, note=pitch)))
        parts.append(events)
    midi = mido.MidiFile(type=0 if single_track else 1, ticks_per_beat=TPB)
    groups = [meta + [e for p in parts for e in p]] if single_track else [meta, *parts]
    for events in groups:
        track = mido.MidiTrack()
        now = 0
        # note_offs before note_ons at the same tick, so repeated pitches do not overlap
        for tick, message in sorted(events, key=lambda e: (e[0], e[1].type == "note_on")):
            track.append(message.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    midi.save(path)
    return path


PROGRESSION = "| Dm7 G7 | Cmaj7 | Am7 D7 | Dm7 G7 | F | C/E Am | Fmaj7/A G7/B | C |"
"""Eight bars: seventh chords and triads, some written in inversion."""


def solo_line(bars: int, start_bar: int = 0) -> list[tuple[float, float, int]]:
    """Eighth notes up and down a C major scale with a rest each bar: a plain solo line."""
    scale = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76]
    notes = []
    step = 0
    for bar in range(start_bar, start_bar + bars):
        for eighth in range(7):
            position = step % (2 * len(scale) - 2)
            pitch = scale[position if position < len(scale) else 2 * len(scale) - 2 - position]
            notes.append((bar * 4 + eighth * 0.5, 0.45, pitch))
            step += 1
    return notes


def comping(progression: str = PROGRESSION) -> tuple[Track, Track]:
    """Piano voicings (held through each chord's share of the bar, inversions where the symbol
    has a slash bass) and a bass that plays each chord's bass note on every beat."""
    piano, bass = Track("Piano", channel=1), Track("Bass", channel=2)
    for bar, chords in enumerate(parse_progression(progression).bars):
        length = 4 / len(chords)
        for slot, chord in enumerate(chords):
            start = bar * 4 + slot * length
            low = chord.bass if chord.bass is not None else chord.root
            tones = sorted(chord.pitch_classes(), key=lambda pc: (pc - low) % 12)
            piano.notes += [(start, length, 60 + low + (pc - low) % 12) for pc in tones]
            for beat in range(round(length)):
                bass.notes.append((start + beat, 0.9, 36 + low))
    return piano, bass


def drums(bars: int) -> Track:
    """Ride on every beat, channel 10."""
    return Track("Drums", channel=9, notes=[(b, 0.25, 51) for b in range(bars * 4)])


def chord_texts(progression: str = PROGRESSION) -> list[tuple[float, str]]:
    """(beat, symbol) of each chord of a progression, for text or marker events."""
    out = []
    for bar, chords in enumerate(parse_progression(progression).bars):
        out += [(bar * 4 + slot * 4 / len(chords), c.symbol) for slot, c in enumerate(chords)]
    return out


def band_file(path: Path, progression: str = PROGRESSION) -> Path:
    """Sax solo over piano, bass and drums (type 1)."""
    bars = len(parse_progression(progression).bars)
    piano, bass = comping(progression)
    return write_midi(path, [Track("Sax", 0, solo_line(bars)), piano, bass, drums(bars)])

