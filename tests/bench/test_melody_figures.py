"""The figures of ``bench music`` on tiny hand-written solos whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from live_jazz.bench.melody import (
    MeteredSolo,
    bars_of,
    breath_phrases,
    chord_tones_on_beat,
    grooving_similarity,
    histogram,
    inter_onset_intervals,
    intervals,
    onset_positions,
    overlap,
    pitch_class_entropy,
    pitch_range,
    root_relative_pitch_classes,
)
from live_jazz.bench.profile import overlaps, profile
from live_jazz.encoding import Note
from live_jazz.theory import ChordTimeline, parse_chord

C7, F7 = parse_chord("C7"), parse_chord("F7")
TWO_BARS_OF_C7_THEN_F7 = ChordTimeline(((0, C7), (96, F7)))


def solo(notes: list[tuple[int, int]], n_bars: int, beats: int = 4,
         chords: ChordTimeline = TWO_BARS_OF_C7_THEN_F7) -> MeteredSolo:
    """A solo of (onset, pitch) notes, each an eighth long."""
    return MeteredSolo("test", "tune", tuple(Note(o, 6, p) for o, p in notes), chords, beats,
                       n_bars, 120.0)


def test_overlap_is_the_shared_mass_of_the_normalized_histograms():
    assert overlap(np.array([1, 1, 0]), np.array([0, 2, 2])) == pytest.approx(0.5)
    assert overlap(np.array([3, 0]), np.array([6, 0])) == pytest.approx(1.0)
    assert overlap(np.array([1, 0]), np.array([0, 1])) == 0.0
    assert overlap(np.array([0, 0]), np.array([1, 0])) == 0.0


def test_positions_intervals_and_iois():
    notes = solo([(0, 60), (6, 62), (12, 74), (16, 50), (100, 51)], 8).notes
    assert list(onset_positions(notes)) == [0, 6, 0, 4, 4]
    assert list(intervals(notes)) == [2, 12, -12, 1]  # +12 and -24 clipped to an octave
    assert list(inter_onset_intervals(notes)) == [6, 6, 4, 48]  # 84 clipped to a bar
    position = histogram(onset_positions(notes), 12)
    assert position[0] == 2 and position[4] == 2 and position[6] == 1


def test_pitch_classes_over_the_root_follow_the_chord_change():
    notes = solo([(0, 64), (95, 60), (96, 65), (100, 69)], 4).notes
    assert list(root_relative_pitch_classes(notes, TWO_BARS_OF_C7_THEN_F7)) == [4, 0, 0, 4]


def test_chord_tones_count_only_notes_on_the_beat():
    # E over C7 on beat 1 (tone), D over C7 on beat 2 (not), F# off the beat (ignored),
    # A over F7 on the beat (tone).
    notes = solo([(0, 64), (12, 62), (18, 66), (96, 69)], 4).notes
    assert chord_tones_on_beat(notes, TWO_BARS_OF_C7_THEN_F7) == (2, 3)


def test_no_chord_is_left_out_of_the_harmonic_figures():
    nc = ChordTimeline(((0, parse_chord("NC")),))
    notes = solo([(0, 60), (12, 64)], 1, chords=nc).notes
    assert chord_tones_on_beat(notes, nc) == (0, 0)
    assert len(root_relative_pitch_classes(notes, nc)) == 0


def test_pitch_class_entropy_over_one_and_four_bars():
    # Bar 0: C C (0 bits); bar 1: C E G B (2 bits); bars 2-3 silent (skipped).
    line = solo([(0, 60), (12, 60), (48, 60), (60, 64), (72, 67), (84, 71)], 4)
    assert pitch_class_entropy(line, 1) == pytest.approx(1.0)  # mean of 0 and 2
    # One 4-bar window: counts C 3, E 1, G 1, B 1.
    p = np.array([3, 1, 1, 1]) / 6
    assert pitch_class_entropy(line, 4) == pytest.approx(float(-(p * np.log2(p)).sum()))
    assert pitch_class_entropy(solo([], 4), 1) is None


def test_grooving_similarity_of_known_bars():
    same = solo([(0, 60), (24, 60), (48, 60), (72, 60)], 2)
    assert grooving_similarity(same) == pytest.approx(1.0)
    # Bar 0 on beats 1 and 3, bar 1 on beats 2 and 4: 4 differing positions of 48.
    moved = solo([(0, 60), (24, 60), (60, 60), (84, 60)], 2)
    assert grooving_similarity(moved) == pytest.approx(1 - 4 / 48)
    # Three bars: pairs (0,1) and (1,2) differ in 2 positions, (0,2) in none.
    three = solo([(0, 60), (54, 60), (96, 60)], 3)
    assert grooving_similarity(three) == pytest.approx(np.mean([1 - 2 / 48, 1, 1 - 2 / 48]))
    assert grooving_similarity(solo([(0, 60)], 1)) is None


def test_grooving_similarity_uses_the_meter():
    notes = [(0, 60), (36, 60), (48, 60)]
    # In 3/4 (36 ticks a bar) the bars are {0} and {0, 12}; in 4/4 {0, 36} and {0}.
    assert grooving_similarity(solo(notes, 2, beats=3)) == pytest.approx(1 - 1 / 36)
    assert grooving_similarity(solo(notes, 2, beats=4)) == pytest.approx(1 - 1 / 48)


def test_phrases_are_four_bars_from_the_first_bar_line():
    line = solo([(0, 60), (191, 62), (192, 64), (400, 65)], 9)
    phrases = bars_of(line, 4)
    assert [len(p) for p in phrases] == [2, 1]  # the note in bar 9 (partial phrase) left out


def test_range_is_between_the_5th_and_95th_percentiles():
    notes = solo([(i * 6, 60 + i) for i in range(21)], 4).notes
    assert pitch_range(notes) == pytest.approx(79 - 61)  # the 2nd and the 20th of 21
    assert pitch_range(notes[:1]) is None


def test_profile_of_a_set_and_overlap_with_itself():
    line = solo([(0, 64), (6, 65), (12, 67), (18, 60), (24, 72), (36, 71)], 2)
    figures = profile([line])
    assert figures.figures["on_beat"] == pytest.approx(4 / 6)
    assert figures.figures["off_beat_eighth"] == pytest.approx(2 / 6)
    assert figures.figures["half_steps"] == pytest.approx(2 / 5)
    assert figures.figures["leaps"] == pytest.approx(2 / 5)  # -7 and +12
    assert figures.figures["notes_per_bar"] == pytest.approx(3.0)
    assert all(math.isclose(v, 1.0) for v in overlaps(figures, figures).values())


def test_phrases_between_rests_are_counted_by_their_notes():
    # Eighths (6 ticks, sounding 5: articulation), a rest of half a beat, a note, a long rest.
    line = [Note(0, 5, 60), Note(6, 5, 62), Note(12, 6, 64), Note(24, 6, 65), Note(96, 6, 67)]
    assert breath_phrases(line) == [3, 1, 1]
    assert breath_phrases([]) == []
