"""``bench hearing``'s scoring and its degradations, on made-up notes and signals."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.audio_in.notes import TrackedNote
from live_jazz.bench.hearing import Score, TrueNote, excerpt, pitch_shows
from live_jazz.bench.rooms import noise, with_noise, with_room
from tests.audio_in.signals import RATE, Tone, render


def heard(pitch, onset, known=None):
    return TrackedNote(pitch, 80, onset, known if known is not None else onset + 0.03,
                       onset + 0.2)


def test_a_note_counts_once_with_its_pitch_near_its_onset():
    score = Score()
    truth = [TrueNote(1.0, 0.2, 60), TrueNote(1.5, 0.2, 62), TrueNote(2.0, 0.2, 64)]
    score.add(truth, [heard(60, 1.01), heard(60, 1.02), heard(74, 1.5), heard(64, 2.08)])
    figures = score.figures()
    assert score.found == 1 and score.heard == 4 and score.true == 3
    assert figures["f1"] == pytest.approx(2 / 7)
    assert figures["octave_errors_pct"] == pytest.approx(100 / 3)  # 62 heard as 74
    assert figures["latency_p50_ms"] == pytest.approx(40.0)


def test_an_excerpt_starts_after_the_lead_moved_by_octaves_and_cut_at_the_next_onset():
    notes = [TrueNote(10.0, 0.5, 48), TrueNote(10.3, 0.2, 50), TrueNote(40.0, 0.2, 52)]
    cut = excerpt(notes, 5.0, 62)
    assert [n.pitch for n in cut] == [60, 62]
    assert cut[0].onset == pytest.approx(0.6) and cut[0].duration == pytest.approx(0.3)


def test_noise_has_its_level_and_the_snr_holds():
    rng = np.random.default_rng(0)
    white = noise(RATE, -40.0, "pink", rng)
    assert 20 * np.log10(np.sqrt(np.mean(white ** 2))) == pytest.approx(-40.0, abs=0.01)
    clean = render([Tone(60, 0.0, 1.0)], 1.0)
    noisy = with_noise(clean, 20.0, rng)
    added = noisy - clean
    ratio = 10 * np.log10(np.mean(clean[np.abs(clean) > 1e-3] ** 2) / np.mean(added ** 2))
    assert ratio == pytest.approx(20.0, abs=0.3)


def test_the_room_rings_on_after_the_note():
    clean = render([Tone(60, 0.1, 0.3)], 1.0)
    wet = with_room(clean, RATE, np.random.default_rng(0))
    after = slice(int(0.45 * RATE), int(0.6 * RATE))
    assert np.abs(clean[after]).max() == 0.0 and np.abs(wet[after]).max() > 1e-3
    assert np.abs(wet).max() <= 1.0


def test_the_pitch_of_a_clean_tone_shows_within_its_first_window():
    clean = render([Tone(67, 0.3, 0.3)], 1.0)
    [shown] = pitch_shows(clean, RATE, [TrueNote(0.3, 0.3, 67)])
    assert 0.0 < shown <= 0.03
