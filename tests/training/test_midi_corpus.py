"""Reading solos from MIDI files the tests write: track choice, chords, windows, bad files."""

import logging

import pytest
from midi_writer import (
    PROGRESSION,
    TPB,
    Track,
    band_file,
    chord_texts,
    comping,
    drums,
    solo_line,
    write_midi,
)

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.theory import parse_progression
from training.corpus import CorpusError
from training.midi_corpus import (
    MidiOptions,
    Window,
    load_midi_corpus,
    parse_window,
    read_midi,
)
from training.midi_parts import MidiNote, melody_line

RECOGNIZED = "| Dm7 G7 | Cmaj7 | Am7 D7 | Dm7 G7 | F | C Am | Fmaj7 G7 | C |"
"""PROGRESSION as recognition reads it: the roots of the inversions, slash basses left out."""


def same_chords(lead_sheet: str, expected: str) -> bool:
    return parse_progression(lead_sheet).bars == parse_progression(expected).bars


def test_the_solo_line_is_chosen_over_piano_bass_and_drums(tmp_path):
    reading = read_midi(band_file(tmp_path / "band.mid"))
    assert reading.melody.name == "Sax" and reading.melody_chosen == "automatic"
    assert [p.name for p, _ in reading.ranking][0] == "Sax"
    assert "Drums" not in [p.name for p, _ in reading.ranking]
    assert "override with --melody-track" in reading.describe()


def test_a_long_solo_with_some_double_stops_beats_a_few_clean_fills(tmp_path):
    solo = solo_line(8)
    solo += [(start, length, pitch - 5) for start, length, pitch in solo[::12]]  # double stops
    fills = Track("Flute", 3, [(4 * bar + 3.5 + k * 0.25, 0.2, 84 - k) for bar in (1, 3, 5, 7)
                               for k in range(5)])
    piano, bass = comping()
    path = write_midi(tmp_path / "fills.mid", [fills, Track("Guitar", 0, solo), piano, bass])
    assert read_midi(path).melody.name == "Guitar"


@pytest.mark.parametrize("wanted", ["Bass", "bass", "3", "Ba"])
def test_melody_track_by_name_index_or_unique_part_of_a_name(tmp_path, wanted):
    reading = read_midi(band_file(tmp_path / "band.mid"), MidiOptions(melody_track=wanted))
    assert reading.melody.name == "Bass" and reading.melody_chosen == "named"


def test_chords_are_recognized_per_half_bar_from_the_accompaniment(tmp_path):
    reading = read_midi(band_file(tmp_path / "band.mid"))
    assert same_chords(reading.lead_sheet, RECOGNIZED)
    assert "recognized from tracks 2 'Piano', 3 'Bass'" in reading.describe()
    assert RECOGNIZED.split(" | ")[1] in reading.describe()


def test_inverted_voicings_without_a_bass_track_keep_their_roots(tmp_path):
    piano, _ = comping()
    path = write_midi(tmp_path / "duo.mid", [Track("Sax", 0, solo_line(8)), piano])
    assert same_chords(read_midi(path).lead_sheet, RECOGNIZED)


def test_harmony_moving_every_beat_is_read_per_beat(tmp_path):
    fast = "| Dm7 G7 Cmaj7 A7 | Dm7 G7 | C | C |"
    piano, bass = comping(fast)
    path = write_midi(tmp_path / "fast.mid", [Track("Sax", 0, solo_line(4)), piano, bass])
    assert same_chords(read_midi(path).lead_sheet, fast)


def test_a_walking_bass_under_held_chords_does_not_add_chords(tmp_path):
    piano, _ = comping("| Dm7 | G7 | Cmaj7 | Cmaj7 |")
    walk = [38, 40, 41, 43, 43, 41, 40, 38, 36, 38, 40, 41, 43, 41, 40, 38]
    bass = Track("Bass", 2, [(beat, 0.9, pitch) for beat, pitch in enumerate(walk)])
    path = write_midi(tmp_path / "walk.mid", [Track("Sax", 0, solo_line(4)), piano, bass])
    assert same_chords(read_midi(path).lead_sheet, "| Dm7 | G7 | Cmaj7 | Cmaj7 |")


def test_bars_follow_the_time_signatures(tmp_path):
    # Two bars of 4/4 (Dm7 G7 | C), then three of 3/4 (F | Bb | C), read as whole bars.
    piano, bass = comping("| Dm7 G7 | C |")
    for start, symbol_root in ((8, 65), (11, 70), (14, 72)):
        piano.notes += [(start, 3, symbol_root + i) for i in (0, 4, 7)]
        bass.notes.append((start, 3, symbol_root - 36))
    path = write_midi(tmp_path / "waltz.mid", [Track("Sax", 0, solo_line(4)), piano, bass],
                      meters=[(0, 4), (8, 3)])
    reading = read_midi(path, MidiOptions(window=Window(2, 4)))
    assert reading.bars == (2, 4)
    assert same_chords(reading.lead_sheet, "| C | F | Bb |")
    (solo,) = reading.solos
    assert solo.chords.chord_at(4 * TICKS_PER_BEAT).symbol == "F"
    assert solo.chords.chord_at(7 * TICKS_PER_BEAT).symbol == "Bb"


def test_chord_symbols_in_text_events_are_used_as_written(tmp_path):
    path = write_midi(tmp_path / "sheet.mid", [Track("Sax", 0, solo_line(8))],
                      texts=[(0, "Intro"), *chord_texts()], text_type="text")
    reading = read_midi(path)
    assert same_chords(reading.lead_sheet, PROGRESSION)
    assert "text/marker events" in reading.chord_source


def test_chord_tracks_override_text_chords(tmp_path):
    piano, bass = comping()
    path = write_midi(tmp_path / "both.mid", [Track("Sax", 0, solo_line(8)), piano, bass],
                      texts=[(0, "C7"), (4, "F7")])
    reading = read_midi(path, MidiOptions(chord_tracks=("Piano", "Bass")))
    assert same_chords(reading.lead_sheet, RECOGNIZED)


def test_a_type_0_file_is_split_by_channel(tmp_path):
    piano, bass = comping()
    path = write_midi(tmp_path / "type0.mid", [Track("Sax", 0, solo_line(8)), piano, bass],
                      single_track=True)
    reading = read_midi(path)
    assert reading.melody.key == "0.1"
    assert same_chords(reading.lead_sheet, RECOGNIZED)
    assert read_midi(path, MidiOptions(melody_track="0.3")).melody.channel == 2


def test_the_solo_lands_on_the_grid_over_its_chords(tmp_path):
    (solo,) = read_midi(band_file(tmp_path / "band.mid")).solos
    eighth = TICKS_PER_BEAT // 2
    assert [n.onset for n in solo.notes[:3]] == [0, eighth, 2 * eighth]
    assert solo.notes[0].pitch == 60 and solo.notes[0].duration == round(0.45 * TICKS_PER_BEAT)
    bar = 4 * TICKS_PER_BEAT
    assert solo.chords.chord_at(0).symbol == "Dm7"
    assert solo.chords.chord_at(bar + 1).symbol == "Cmaj7"
    assert len(solo.values()) > len(solo.notes)  # count-in and rests


def test_window_keeps_the_bars_asked_for(tmp_path):
    reading = read_midi(band_file(tmp_path / "band.mid"), MidiOptions(window=Window(3, 4)))
    assert reading.bars == (3, 4)
    assert same_chords(reading.lead_sheet, "| Am7 D7 | Dm7 G7 |")
    (solo,) = reading.solos
    assert solo.notes[0].onset == 0 and len(solo.notes) == 14
    assert solo.notes[-1].onset < 8 * TICKS_PER_BEAT


def test_overlapping_notes_are_reduced_to_a_line():
    notes = [MidiNote(0, 2 * TPB, 60, 80), MidiNote(0, TPB, 64, 80), MidiNote(TPB, 2 * TPB, 67, 80)]
    line = melody_line(notes, 0, 4 * TPB, TPB)
    assert [(n.onset, n.duration, n.pitch) for n in line] == [
        (0, TICKS_PER_BEAT, 64),
        (TICKS_PER_BEAT, TICKS_PER_BEAT, 67),
    ]


def test_a_long_silence_splits_the_melody_into_solos(tmp_path):
    line = solo_line(2) + solo_line(2, start_bar=6)
    piano, bass = comping()
    path = write_midi(tmp_path / "gap.mid", [Track("Sax", 0, line), piano, bass])
    solos = read_midi(path).solos
    assert [s.name for s in solos] == ["gap#1", "gap#2"] and all(len(s.notes) == 14 for s in solos)


def test_solo_names_stay_unique_across_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    band_file(tmp_path / "a" / "tune.mid")
    band_file(tmp_path / "b" / "tune.mid")
    solos, readings = load_midi_corpus([tmp_path])
    assert len(readings) == 2 and len({s.name for s in solos}) == 2


def test_a_corrupt_file_is_skipped_with_a_warning(tmp_path, caplog):
    good = band_file(tmp_path / "good.mid")
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x00\x60MTrk\xff\xff")
    with caplog.at_level(logging.WARNING):
        solos, readings = load_midi_corpus([good, bad])
    assert [r.path for r in readings] == [good] and solos
    assert f"skipping {bad}" in caplog.text
    with pytest.raises(CorpusError, match="no readable MIDI file"):
        load_midi_corpus([bad])


def test_no_harmony_is_an_error_naming_the_file(tmp_path):
    path = write_midi(tmp_path / "alone.mid", [Track("Sax", 0, solo_line(8)), drums(8)])
    with pytest.raises(CorpusError, match=r"alone\.mid: no recognizable harmony"):
        load_midi_corpus([path])


def test_no_melody_is_an_error_naming_the_file(tmp_path):
    path = write_midi(tmp_path / "drums.mid", [drums(8)])
    with pytest.raises(CorpusError, match=r"drums\.mid: no usable melody"):
        load_midi_corpus([path])


def test_a_melody_track_that_does_not_exist_lists_the_tracks(tmp_path):
    path = band_file(tmp_path / "band.mid")
    with pytest.raises(CorpusError, match=r"no track 'Guitar' \(tracks with notes: 1 'Sax'"):
        load_midi_corpus([path], MidiOptions(melody_track="Guitar"))


def test_missing_path_or_no_midi_files_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        load_midi_corpus([tmp_path / "nope.mid"])
    with pytest.raises(CorpusError, match="no MIDI files"):
        load_midi_corpus([tmp_path])


@pytest.mark.parametrize(
    ("text", "window"),
    [("120:137", Window(120, 137)), ("5:", Window(5, None)), (":8", Window(None, 8))],
)
def test_parse_window(text, window):
    assert parse_window(text) == window


@pytest.mark.parametrize("text", ["12", "a:b", "0:4", "9:3"])
def test_parse_window_rejects(text):
    with pytest.raises(ValueError, match="window"):
        parse_window(text)


@pytest.mark.corpus
def test_the_metheny_file_of_the_exercise(shared_corpora):
    """The real case: the guitar solo of "And Then I Knew", bars 120-137 (quarter notes
    476-548), chords from piano, bass, trumpet and horn."""
    path = shared_corpora / "metheny" / "original_metheny.mid"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    window = MidiOptions(window=Window(120, 137))
    assert read_midi(path, window).melody.name == "Guitar"  # the automatic choice
    options = MidiOptions(chord_tracks=("Piano", "Bass", "Trumpet", "Horn"),
                          window=Window(120, 137))
    reading = read_midi(path, options)
    assert "13 'French Horn'" in reading.chord_source
    assert len(parse_progression(reading.lead_sheet).bars) == 18
    (solo,) = reading.solos
    assert solo.notes[0].onset >= 0 and solo.notes[-1].onset < 18 * 4 * TICKS_PER_BEAT
