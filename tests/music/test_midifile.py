"""Standard MIDI files: named tracks on their channels, tempo map, swing, note-offs, atomic."""

from __future__ import annotations

import io
from pathlib import Path

import mido
import pytest

from live_jazz.encoding import Note
from live_jazz.music.midifile import PPQ, MidiFileError, Track, midi_bytes, read_notes, write_midi


def _pairs_closed(track: mido.MidiTrack) -> bool:
    """Every note-on is followed by its note-off before the same pitch starts again."""
    sounding: set[tuple[int, int]] = set()
    for message in track:
        if message.type == "note_on" and message.velocity > 0:
            if (message.channel, message.note) in sounding:
                return False
            sounding.add((message.channel, message.note))
        elif message.type in ("note_on", "note_off"):
            if (message.channel, message.note) not in sounding:
                return False
            sounding.discard((message.channel, message.note))
    return not sounding


def midi_file(tracks, **settings) -> mido.MidiFile:
    """``midi_bytes`` parsed back by mido (an independent reader)."""
    return mido.MidiFile(file=io.BytesIO(midi_bytes(tracks, **settings)))


def _absolute(track: mido.MidiTrack) -> list[tuple[int, mido.Message]]:
    now, out = 0, []
    for message in track:
        now += message.time
        out.append((now, message))
    return out


SOLO = [Note(0, 6, 60), Note(6, 6, 62), Note(12, 12, 64, 100), Note(30, 6, 65)]
CHORDS = [Note(0, 24, 57, 64), Note(0, 24, 60, 64), Note(12, 24, 60, 64)]  # overlapping 60


def test_tracks_names_channels_and_every_note_off(tmp_path: Path):
    path = tmp_path / "solo.mid"
    write_midi(path, [Track("improviser", 0, SOLO), Track("chords", 1, CHORDS)],
               tempo_map=[(0, 100), (4, 150)], beats_per_bar=3)
    midi = mido.MidiFile(path)
    assert midi.type == 1 and midi.ticks_per_beat == PPQ
    names = [t.name for t in midi.tracks]
    assert names == ["tempo", "improviser", "chords"]
    channels = [{m.channel for m in t if m.type.startswith("note")} for t in midi.tracks[1:]]
    assert channels == [{0}, {1}]
    assert all(_pairs_closed(t) for t in midi.tracks)
    conductor = _absolute(midi.tracks[0])
    tempos = [(at, round(mido.tempo2bpm(m.tempo))) for at, m in conductor if m.type == "set_tempo"]
    assert tempos == [(0, 100), (4 * PPQ, 150)]
    signature = [m for _, m in conductor if m.type == "time_signature"]
    assert (signature[0].numerator, signature[0].denominator) == (3, 4)


def test_overlapping_notes_of_one_pitch_are_cut_where_the_next_starts():
    midi = midi_file([Track("chords", 1, CHORDS)])
    events = [(at, m.type, m.note) for at, m in _absolute(midi.tracks[1])
              if m.type.startswith("note") and m.note == 60]
    assert events == [(0, "note_on", 60), (PPQ, "note_off", 60), (PPQ, "note_on", 60),
                      (3 * PPQ, "note_off", 60)]


def test_a_note_off_comes_before_a_note_on_at_the_same_time():
    midi = midi_file([Track("solo", 0, [Note(0, 6, 60), Note(6, 6, 60)])])
    kinds = [m.type for m in midi.tracks[1] if m.type.startswith("note")]
    assert kinds == ["note_on", "note_off", "note_on", "note_off"]


def test_swing_places_the_off_beat_eighth():
    midi = midi_file([Track("solo", 0, SOLO)], swing=0.75)
    onsets = [at for at, m in _absolute(midi.tracks[1]) if m.type == "note_on"]
    assert onsets[:3] == [0, round(0.75 * PPQ), PPQ]
    velocities = [m.velocity for m in midi.tracks[1] if m.type == "note_on"]
    assert velocities == [90, 90, 100, 90]


def test_rewriting_replaces_the_file_and_leaves_no_temporary(tmp_path: Path):
    path = tmp_path / "session.mid"
    write_midi(path, [Track("improviser", 0, SOLO[:1])])
    write_midi(path, [Track("improviser", 0, SOLO)])
    assert [p.name for p in tmp_path.iterdir()] == ["session.mid"]
    assert len(read_notes(path)) == len(SOLO)


def test_a_failed_write_keeps_the_old_file(tmp_path: Path):
    path = tmp_path / "session.mid"
    write_midi(path, [Track("improviser", 0, SOLO)])
    with pytest.raises(ValueError, match="onsets must be >= 0"):
        write_midi(path, [Track("improviser", 0, [Note(-1, 6, 60)])])
    assert len(read_notes(path)) == len(SOLO)
    assert [p.name for p in tmp_path.iterdir()] == ["session.mid"]


def test_read_notes_gives_back_the_grid_notes_but_the_drums(tmp_path: Path):
    path = tmp_path / "phrase.mid"
    write_midi(path, [Track("a", 0, SOLO), Track("b", 3, [Note(48, 3, 70, 50)]),
                      Track("drums", 9, [Note(0, 1, 36), Note(12, 1, 38)])])
    assert read_notes(path) == sorted([*SOLO, Note(48, 3, 70, 50)], key=lambda n: n.onset)


def test_read_notes_refuses_what_is_not_midi(tmp_path: Path):
    path = tmp_path / "notes.mid"
    path.write_text("not midi", encoding="utf-8")
    with pytest.raises(MidiFileError, match="not a readable MIDI file"):
        read_notes(path)
    with pytest.raises(MidiFileError):
        read_notes(tmp_path / "missing.mid")


@pytest.mark.parametrize("bad", [{"swing": 0.9}, {"tempo_map": []}, {"tempo_map": [(0, 0)]},
                                 {"beats_per_bar": 0}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        midi_bytes([Track("solo", 0, SOLO)], **bad)


@pytest.mark.parametrize("track", [Track("solo", 16, SOLO), Track("solo", 0, [Note(0, 6, 128)])])
def test_bad_tracks_are_refused(track):
    with pytest.raises(ValueError):
        midi_bytes([track])


def test_long_deltas_and_many_notes_are_encoded():
    notes = [Note(i * 6, 6, 40 + i % 40, 1 + i % 127) for i in range(5000)]
    notes.append(Note(100_000, 12, 60))  # a long silence: a multi-byte delta time
    midi = midi_file([Track("improviser", 0, notes, program=66)], swing=0.6)
    assert _pairs_closed(midi.tracks[1])
    program = [m for m in midi.tracks[1] if m.type == "program_change"]
    assert [(m.channel, m.program) for m in program] == [(0, 66)]
    onsets = [at for at, m in _absolute(midi.tracks[1]) if m.type == "note_on"]
    assert len(onsets) == len(notes) and onsets[-1] == 100_000 * PPQ // 12
    velocities = [m.velocity for m in midi.tracks[1] if m.type == "note_on"]
    assert velocities == [n.velocity for n in notes]


def test_played_positions_between_grid_ticks_are_kept():
    midi = midi_file([Track("human", 0, [Note(0.5, 2.25, 60)])])  # type: ignore[arg-type]
    times = [at for at, m in _absolute(midi.tracks[1]) if m.type.startswith("note")]
    assert times == [PPQ // 24, PPQ // 24 + round(2.25 * PPQ / 12)]
