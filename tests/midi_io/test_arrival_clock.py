"""Events read late from rtmidi's queue keep the times they arrived at."""

from __future__ import annotations

import pytest

from live_jazz.midi_io.jack_input import ArrivalClock


def test_events_keep_their_spacing_and_the_first_read_bounds_the_offset():
    clock = ArrivalClock()
    # Three events 10 ms apart, the first at 1.000 s; the read comes 4 ms after the last.
    assert clock.place([0.0, 0.010, 0.010], read_at=1.024) == pytest.approx([1.004, 1.014, 1.024])


def test_a_read_that_follows_its_event_closely_corrects_the_offset():
    clock = ArrivalClock()
    clock.place([0.0], read_at=1.005)  # arrived at 1.000, read 5 ms late
    # Next event 100 ms after the first, read 1 ms after it arrived: the offset tightens.
    assert clock.place([0.100], read_at=1.101) == pytest.approx([1.101])
    assert clock.place([0.050], read_at=1.160) == pytest.approx([1.151])


def test_a_late_read_never_moves_the_events_later():
    clock = ArrivalClock()
    clock.place([0.0], read_at=2.000)
    assert clock.place([0.500], read_at=2.700) == pytest.approx([2.500])


def test_nothing_read_places_nothing():
    clock = ArrivalClock()
    assert clock.place([], read_at=5.0) == []
    assert clock.place([0.0], read_at=5.0) == pytest.approx([5.0])
