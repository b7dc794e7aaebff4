import numpy as np
import pytest

from live_jazz.encoding import Decoder, Note, Role, Value, decode, encode, motion_of, role_of
from live_jazz.theory import ChordTimeline, parse_chord

C7 = parse_chord("C7")
FMAJ7 = parse_chord("Fmaj7")


def timeline(*changes):
    return ChordTimeline(tuple((tick, parse_chord(symbol)) for tick, symbol in changes))


@pytest.mark.parametrize(
    ("pitch", "chord", "role"),
    [(60, C7, Role.CHORD), (64, C7, Role.CHORD), (70, C7, Role.CHORD), (62, C7, Role.SCALE),
     (69, C7, Role.SCALE), (63, C7, Role.APPROACH), (61, C7, Role.APPROACH),
     (66, parse_chord("Cmaj7"), Role.APPROACH), (66, parse_chord("C7"), Role.APPROACH),
     (61, parse_chord("C6"), Role.APPROACH), (64, parse_chord("NC"), Role.SCALE)],
)
def test_role_of(pitch, chord, role):
    assert role_of(pitch, chord) == role


def test_encode_eighth_line_with_rest_and_chord_change():
    chords = timeline((0, "C7"), (48, "Fmaj7"))
    notes = [Note(0, 6, 60), Note(6, 6, 62), Note(12, 6, 64), Note(18, 6, 67),
             Note(48, 12, 65), Note(60, 4, 64)]
    values = encode(notes, chords)
    assert [v.token for v in values] == [
        "C:start:6", "S:+2:6", "C:+2:6", "C:+3..4:6", "R:24",
        "C:-2:12", "C:-1:4",
    ]


def test_short_silence_is_articulation_not_rest():
    chords = timeline((0, "C7"))
    staccato = [Note(0, 3, 60), Note(6, 3, 62), Note(12, 2, 64)]
    assert [v.duration for v in encode(staccato, chords)] == [6, 6, 2]


def test_overlapping_and_simultaneous_notes_reduce_to_a_line():
    chords = timeline((0, "C7"))
    notes = [Note(0, 20, 60), Note(0, 6, 55), Note(12, 6, 64)]
    values = encode(notes, chords)
    assert [v.duration for v in values] == [12, 6]
    assert values[0].role == Role.CHORD


def test_leading_gap_keeps_the_phrase_in_its_bar():
    values = encode([Note(27, 6, 60)], timeline((0, "C7")), start_tick=0)
    assert [v.token for v in values] == ["R:24", "R:3", "C:start:6"]


def test_odd_slot_is_written_note_plus_rest():
    values = encode([Note(0, 11, 60), Note(11, 6, 62)], timeline((0, "C7")))
    assert [v.token for v in values] == ["C:start:10", "R:1", "S:+2:6"]


def test_note_before_a_rest_is_written_on_the_grid():
    values = encode([Note(0, 11, 60), Note(24, 6, 62)], timeline((0, "C7")))
    assert [v.token for v in values] == ["C:start:10", "R:12", "R:2", "S:+2:6"]


def line_on_grid(rng, chords, n=64):
    """A random line on the grid: durations from the value grid, rests of an eighth or more."""
    notes, tick, pitch = [], 0, 64
    for _ in range(n):
        if rng.random() < 0.15:
            tick += int(rng.choice([6, 12, 24]))
        duration = int(rng.choice([2, 3, 4, 6, 8, 9, 12, 18, 24]))
        pitch = int(np.clip(pitch + rng.integers(-7, 8), 52, 84))
        notes.append(Note(tick, duration, pitch))
        tick += duration
    return notes


@pytest.mark.parametrize("seed", range(5))
def test_round_trip_durations_rests_roles_exact_and_pinned_pitches_exact(seed):
    rng = np.random.default_rng(seed)
    chords = ChordTimeline(
        tuple((i * 24, parse_chord(s)) for i, s in enumerate(["Dm7", "G7", "Cmaj7", "A7b9"])),
        loop_ticks=96,
    )
    notes = line_on_grid(rng, chords)
    values = encode(notes, chords, prev_pitch=notes[0].pitch)
    decoded = decode(values, chords, np.random.default_rng(seed + 100),
                     prev_pitch=notes[0].pitch, register=(40, 100))
    assert [(n.onset, n.duration) for n in decoded] == [(n.onset, n.duration) for n in notes]
    assert [role_of(n.pitch, chords.chord_at(n.onset)) for n in decoded] == [
        role_of(n.pitch, chords.chord_at(n.onset)) for n in notes
    ]
    # Wherever the motion pins the pitch (a repeat or a step) from a matching previous pitch,
    # the decoded pitch is the original one.
    note_values = [v for v in values if not v.is_rest]
    checked = 0
    for i in range(1, len(notes)):
        if note_values[i].motion.pins_pitch and decoded[i - 1].pitch == notes[i - 1].pitch:
            assert decoded[i].pitch == notes[i].pitch
            checked += 1
    assert checked > 0
    assert decoded[0].pitch == notes[0].pitch  # repeat of prev_pitch: pinned


def test_decoder_fits_role_and_motion_over_the_chord():
    decoder = Decoder(np.random.default_rng(0), prev_pitch=60)
    # E is the only chord tone of A7 a minor or major third above C.
    assert decoder.step(Value(6, Role.CHORD, motion_of(3)), timeline((0, "A7"))).pitch == 64
    # No chord tone of D7 lies a third above E: the role wins, the interval widens least.
    note = decoder.step(Value(6, Role.CHORD, motion_of(3)), timeline((0, "D7")))
    assert note.pitch in (66, 69)


def test_decoder_folds_leaps_back_into_the_register():
    chords = timeline((0, "C7"))
    decoder = Decoder(np.random.default_rng(0), register=(48, 72), prev_pitch=70)
    for _ in range(20):
        note = decoder.step(Value(6, Role.CHORD, motion_of(12)), chords)
        assert 48 <= note.pitch <= 72


def test_decoder_is_reproducible_with_a_seed():
    chords = timeline((0, "C7"))
    values = [Value(6, Role.CHORD, motion_of(i % 9 - 4)) for i in range(30)]
    one = decode(values, chords, np.random.default_rng(7))
    two = decode(values, chords, np.random.default_rng(7))
    assert one == two


def test_bad_register_is_refused():
    with pytest.raises(ValueError):
        Decoder(np.random.default_rng(0), register=(60, 65))
