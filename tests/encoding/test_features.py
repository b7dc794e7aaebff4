"""The conditioning features on tiny hand-written solos: position across bars and meter changes,
harmony against the previous pitch and the chord to come, register, tempo."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.encoding import Note
from live_jazz.encoding.codec import encode_line
from live_jazz.encoding.features import (
    GROUP_SIZES,
    SEED_SPEC,
    BarLines,
    FeatureEncoder,
    FeatureSpec,
    RegularMeter,
)
from live_jazz.theory import ChordTimeline, parse_chord

SPEC = FeatureSpec(tuple(GROUP_SIZES))
AT = SPEC.offsets()


def timeline(*changes):
    return ChordTimeline(tuple((tick, parse_chord(symbol)) for tick, symbol in changes))


def group(row: np.ndarray, name: str) -> np.ndarray:
    return row[AT[name] : AT[name] + GROUP_SIZES[name]]


def ones(row: np.ndarray, name: str) -> list[int]:
    return np.flatnonzero(group(row, name)).tolist()


def features(tick, prev_pitch=None, chords=None, meter=None, tempo=120.0, center=64):
    row = np.zeros(SPEC.size, np.float32)
    FeatureEncoder(SPEC, center).fill(row, tick, prev_pitch, chords or timeline((0, "C7")),
                                      meter or RegularMeter(), tempo)
    return row


def test_the_spec_lays_the_groups_out_in_order_and_round_trips(tmp_path):
    assert SPEC.size == sum(GROUP_SIZES.values()) == 91 and FeatureSpec().size == 87
    assert SPEC.without("harmony").size == 91 - 25
    SPEC.without("tempo").save(tmp_path)
    assert FeatureSpec.load(tmp_path) == SPEC.without("tempo")
    assert FeatureSpec.load(tmp_path / "nowhere") == SEED_SPEC and SEED_SPEC.size == 0
    with pytest.raises(ValueError):
        FeatureSpec(("tempo", "harmony"))
    with pytest.raises(ValueError):
        FeatureSpec(("loudness",))


@pytest.mark.parametrize(("tick", "slot", "beat"), [
    (0, 0, 0), (6, 6, 0), (12, 0, 1), (27, 3, 2), (40, 4, 3), (48, 0, 0), (-4, 8, 3),
])
def test_position_in_the_beat_and_the_bar_in_four_four(tick, slot, beat):
    row = features(tick)
    assert ones(row, "beat_position") == [slot]
    assert ones(row, "bar_beat") == [beat]


def test_position_counts_from_each_bar_line_across_meter_changes():
    # Two bars of 4/4, one of 3/4, one of 5/4, then 4/4 again (on after the last bar line).
    meter = BarLines((0, 48, 96, 132, 192, 240))
    expected = {0: 0, 36: 3, 48: 0, 96: 0, 120: 2, 132: 0, 180: 3, 186: 3, 192: 0, 240: 0,
                -12: 3}
    for tick, beat in expected.items():
        assert ones(features(tick, meter=meter), "bar_beat") == [beat], tick
    assert meter.bar_offset(187) == 55 and meter.bar_offset(250) == 10
    assert meter.bar_offset(290) == 2


def test_a_line_gets_the_position_of_each_value():
    notes = [Note(0, 6, 60), Note(6, 6, 62), Note(12, 12, 64), Note(36, 6, 67)]
    played = encode_line(notes, timeline((0, "C7")), start_tick=0)
    rows = FeatureEncoder(SPEC, 64).line(played, 0, timeline((0, "C7")), RegularMeter(36),
                                         150.0)
    onsets = [0, 6, 12, 24, 36]  # the note at 12 lasts 12 ticks, then a rest of 12
    assert [v.value.duration for v in played] == [6, 6, 12, 12, 6]
    for row, tick in zip(rows, onsets, strict=True):
        assert ones(row, "beat_position") == [tick % 12]
        assert ones(row, "bar_beat") == [tick % 36 // 12]


def test_harmony_is_relative_to_the_previous_pitch():
    # C7 (C E G Bb) from an E (64): chord tones 0 (E), 3 (G), 6 (Bb), 8 (C) semitones up.
    row = features(12, prev_pitch=64)
    harmony = group(row, "harmony")
    assert np.flatnonzero(harmony[:12]).tolist() == [0, 3, 6, 8]
    # The scale of C7 (mixolydian C D E F G A Bb) from E: 0 1 3 5 6 8 10.
    assert np.flatnonzero(harmony[12:24]).tolist() == [0, 1, 3, 5, 6, 8, 10]
    assert harmony[24] == 0
    # The same chord a semitone higher from a semitone higher: the same bits.
    shifted = features(12, prev_pitch=65, chords=timeline((0, "C#7")))
    np.testing.assert_array_equal(group(shifted, "harmony"), harmony)
    # No previous pitch: relative to the middle of the register, flagged.
    fresh = group(features(12, prev_pitch=None, center=64), "harmony")
    np.testing.assert_array_equal(fresh[:24], harmony[:24])
    assert fresh[24] == 1
    # No chord: nothing to aim at.
    assert not group(features(0, 64, timeline((0, "NC"))), "harmony")[:24].any()


def test_harmony_looks_ahead_to_the_next_chord():
    chords = timeline((0, "Dm7"), (46, "G7"), (96, "Cmaj7"))
    change = group(features(40, prev_pitch=62, chords=chords), "change")
    assert np.flatnonzero(change[:6]).tolist() == [1]  # 6 ticks away: at most 6
    # G7 (G B D F) from D (62): 5 (G), 9 (B), 0 (D), 3 (F).
    assert np.flatnonzero(change[6:]).tolist() == [0, 3, 5, 9]
    for tick, bucket in ((43, 0), (45, 0), (40, 1), (39, 2), (34, 2), (33, 3), (0, 4), (48, 4),
                         (47, 5)):
        row = group(features(tick, 62, chords), "change")
        assert np.flatnonzero(row[:6]).tolist() == [bucket], tick
    # After the last change of a form that does not loop: "later or never".
    after = group(features(200, 62, chords), "change")
    assert np.flatnonzero(after[:6]).tolist() == [5] and not after[6:].any()


def test_register_is_the_previous_pitch_against_the_middle():
    for pitch, scalar, bucket in ((64, 0.0, 2), (76, 1.0, 4), (52, -1.0, 0), (55, -0.75, 1),
                                  (60, -1 / 3, 1), (61, -0.25, 2), (67, 0.25, 3),
                                  (100, 2.0, 4)):
        row = group(features(0, prev_pitch=pitch, center=64), "register")
        assert row[0] == pytest.approx(scalar)
        assert np.flatnonzero(row[1:]).tolist() == [bucket], pitch
    assert not group(features(0, prev_pitch=None), "register").any()


@pytest.mark.parametrize(("bpm", "bucket"), [(60, 0), (90, 1), (129, 1), (160, 2), (200, 3),
                                             (300, 4)])
def test_tempo_is_bucketed(bpm, bucket):
    assert ones(features(0, tempo=bpm), "tempo") == [bucket]


def test_a_spec_without_a_group_leaves_it_out():
    spec = SPEC.without("harmony")
    row = np.zeros(spec.size, np.float32)
    FeatureEncoder(spec, 64).fill(row, 18, 60, timeline((0, "C7")), RegularMeter(), 120.0)
    full = features(18, 60)
    kept = np.concatenate([group(full, g) for g in spec.groups])
    np.testing.assert_array_equal(row, kept)


def test_a_line_knows_where_it_is_in_its_phrase_and_its_contour():
    # A bar's rest, four notes up and down, a rest of a beat and a half, a note.
    notes = [Note(48, 6, 60), Note(54, 6, 64), Note(60, 6, 67), Note(66, 6, 62),
             Note(90, 12, 65)]
    played = encode_line(notes, timeline((0, "C7")), start_tick=0)
    assert [(p.value.duration, p.pitch) for p in played] == [
        (48, None), (6, 60), (6, 64), (6, 67), (6, 62), (18, None), (12, 65)]
    rows = FeatureEncoder(SPEC, 64).line(played, 0, timeline((0, "C7")), RegularMeter(), 120.0)
    # (since-rest bucket, notes bucket, last-rest bucket) before each value.
    expected = [(0, 0, 0), (0, 0, 3), (1, 1, 3), (2, 2, 3), (2, 2, 3), (3, 3, 3), (0, 0, 1)]
    for row, (since, count, rest) in zip(rows, expected, strict=True):
        assert ones(row, "phrase") == [since, 7 + count, 13 + rest]
    contour = [group(row, "contour").tolist() for row in rows]
    assert contour[1] == [0, 0, 0, 0] and contour[2] == [0, 0, 0, 0]  # one note: no shape yet
    assert contour[3] == pytest.approx([0, 4 / 12, 1, 0])             # up a third
    assert contour[4] == pytest.approx([0, 7 / 12, 1, 1])             # up again: at the peak
    assert contour[5] == pytest.approx([5 / 12, 2 / 12, -1, 1])       # down a fourth
    assert contour[6] == [0, 0, 0, 0]                                 # the rest ended it


def test_rests_in_a_row_are_one_breath():
    played = encode_line([Note(0, 6, 60), Note(150, 6, 62)], timeline((0, "C7")), start_tick=0)
    rests = [p.value.duration for p in played if p.pitch is None]
    assert len(rests) > 1 and sum(rests) == 144  # a long rest is several values
    rows = FeatureEncoder(SPEC, 64).line(played, 0, timeline((0, "C7")), RegularMeter(), 120.0)
    assert ones(rows[-1], "phrase")[2] == 13 + 3  # 12 beats of rest: "longer"
