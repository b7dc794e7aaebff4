"""SwiftF0 as the tracker's pitch estimator (only where the ``bench`` extra installed it)."""

from __future__ import annotations

import pytest

from live_jazz.audio_in.notes import track_notes
from live_jazz.bench.hearing import swift_tracker
from tests.audio_in.signals import RATE, Tone, render

pytest.importorskip("swift_f0")


def test_swiftf0_hears_a_held_note_at_its_pitch():
    notes = track_notes(render([Tone(64, 0.6, 0.8)], 1.8), swift_tracker(RATE))
    assert 64 in [n.pitch for n in notes]
    assert all(abs(n.pitch - 64) <= 1 for n in notes)
