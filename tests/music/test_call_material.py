"""The call as material: extraction on hand-written calls."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.encoding import Note
from live_jazz.music.call_material import (
    copy_share,
    extract_material,
    interval_histogram,
    melodic_line,
)

BAR = 48


def line(*notes: tuple[int, int]) -> list[Note]:
    """Notes from (onset, pitch), each an eighth long."""
    return [Note(onset, 6, pitch) for onset, pitch in notes]


def test_cells_contour_register_and_last_pitch_of_a_two_bar_call():
    # Bar 1: a Charleston (1, and of 2); bar 2: four eighths from beat 3.
    call = line((0, 60), (18, 64), (BAR + 24, 67), (BAR + 30, 65), (BAR + 36, 65),
                (BAR + 42, 72))
    material = extract_material(call, 0, BAR)
    assert material is not None
    assert material.bars == 2
    assert material.cells == ((0, 18), (24, 30, 36, 42))
    assert material.intervals == (4, 3, -2, 0, 7)
    assert material.contour == (1, 1, -1, 0, 1)
    assert (material.low, material.high, material.last_pitch) == (60, 72, 72)
    assert material.mean_pitch == pytest.approx(np.mean([60, 64, 67, 65, 65, 72]))
    assert material.density == 3.0
    profile = material.onset_profile()
    assert profile.shape == (BAR,) and profile.sum() == 6 and profile[0] == 1


def test_positions_count_from_the_bar_line_not_from_the_first_note():
    # A pickup on the "and" of 4 before the bar line at tick 96, then the downbeat.
    material = extract_material(line((96 - 6, 62), (96, 65)), 0, BAR)
    assert material is not None
    assert material.cells == ((42,), (0,))
    assert material.onsets == (42, 0)
    # The same call seen from another bar line of the same grid: the same material.
    assert extract_material(line((96 - 6, 62), (96, 65)), 480, BAR) == material


def test_a_rest_bar_in_the_middle_is_an_empty_cell_and_3_4_bars_have_36_ticks():
    material = extract_material(line((0, 60), (2 * 36 + 12, 62)), 0, 36)
    assert material is not None
    assert material.cells == ((0,), (), (12,))
    assert material.density == pytest.approx(2 / 3)


def test_notes_starting_together_keep_the_highest_and_leaps_clip_to_an_octave():
    call = [Note(0, 12, 48), Note(0, 12, 60), Note(12, 12, 84)]
    assert [n.pitch for n in melodic_line(call)] == [60, 84]
    material = extract_material(call, 0, BAR)
    assert material is not None and material.intervals == (12,)
    histogram = interval_histogram([-30, 1, 1, 0])
    assert histogram[0] == 0.25 and histogram[13] == 0.5 and histogram.sum() == 1.0


def test_no_notes_no_material():
    assert extract_material([], 0, BAR) is None


def test_copy_share_counts_the_same_pitch_at_the_same_place_in_the_bar():
    call = line((0, 60), (12, 62), (24, 64), (36, 65))
    material = extract_material(call, 0, BAR)
    assert material is not None
    answer_start = 4 * BAR
    copied = [Note(n.onset + answer_start, n.duration, n.pitch) for n in call]
    assert copy_share(copied, material, 0) == 1.0
    transposed = [Note(n.onset, n.duration, n.pitch + 2) for n in copied]
    assert copy_share(transposed, material, 0) == 0.0
    displaced = [Note(n.onset + 6, n.duration, n.pitch) for n in copied]
    assert copy_share(displaced, material, 0) == 0.0
    assert copy_share(copied[:2] + transposed[2:], material, 0) == 0.5
    assert copy_share([], material, 0) == 0.0
