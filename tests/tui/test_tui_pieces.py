"""The pure parts of the TUI: controls' steps, tap tempo, the plot's and the roll's geometry."""

from __future__ import annotations

import pytest

from live_jazz.engine.events import NotePlayed
from live_jazz.tui.controller import TapTempo, next_mode, next_swing
from live_jazz.tui.widgets.model_plot import sparkline
from live_jazz.tui.widgets.piano_roll import ChordMark, draw_roll, pitch_range, row_of


@pytest.mark.parametrize(("current", "expected"),
                         [(0.5, 0.58), (0.6, 0.62), (0.67, 0.75), (0.75, None)])
def test_swing_steps_wrap_to_auto(current, expected):
    assert next_swing(current) == expected


def test_swing_steps_start_after_auto_from_straight():
    assert next_swing(0.64, auto=True) == 0.5


def test_modes_cycle():
    assert [next_mode(m) for m in ("solo", "trade", "answer")] == ["trade", "answer", "solo"]


def test_tap_tempo_averages_the_last_taps_and_restarts_after_a_pause():
    taps = TapTempo()
    assert taps.tap(10.0) is None
    assert taps.tap(10.5) == 120.0
    assert taps.tap(11.1) == pytest.approx(60 / 0.55, abs=0.1)
    assert taps.tap(20.0) is None  # a new count
    assert taps.tap(21.0) == 60.0


def test_sparkline_scales_to_the_top():
    assert sparkline([0.0, 0.5, 1.0], width=10, top=1.0) == "▁▄█"
    assert sparkline([1.0, 2.0, 4.0, 8.0], width=2, top=None) == "▄█"
    assert sparkline([], width=5, top=None) == ""


def test_pitch_rows_put_high_notes_on_top():
    low, high = pitch_range([60, 62], rows=12)
    assert high - low + 1 == 12 and low <= 60 and high >= 62
    assert row_of(high, low, high, 12) == 0
    assert row_of(low, low, high, 12) == 11
    assert pitch_range([40, 90], rows=10) == (40, 90)  # wide: several semitones a row
    assert row_of(90, 40, 90, 10) == 0 and row_of(40, 40, 90, 10) == 9



def test_the_roll_draws_the_last_bars_up_to_now():
    notes = [NotePlayed("improviser", 60, 90, 3.5, 1.0),  # begins before the window
             NotePlayed("human", 72, 90, 19.999, 2.0),  # begins at its right edge
             NotePlayed("improviser", 65, 90, 20.0, 1.0),  # not yet
             NotePlayed("comping", 48, 70, 8.0, 4.0)]  # not drawn
    marks = [ChordMark(0.0, "F7"), ChordMark(8.0, "Bb7")]
    rows = draw_roll(notes, marks, now=20.0, beats_per_bar=4, width=68, height=13)
    lines = ["".join(text for text, _ in row) for row in rows]
    assert len(lines) == 13 and all(len(line) == 68 for line in lines)
    assert lines[0][4:].startswith("2") and "Bb7" in lines[0]  # bar 2 (beats 4-8), then Bb7
    assert lines[1].startswith("C5") and lines[-1].startswith("C4")
    assert lines[1].rstrip().endswith("█")  # the human's C5 at the right edge
    assert lines[-1][4] == "█"  # the improviser's C4, cut at the left edge
    assert "█" not in "".join(line[4:] for line in lines[2:-1])  # nothing else drawn
