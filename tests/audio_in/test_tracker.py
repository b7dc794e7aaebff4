"""The tracker on synthetic performances: every note once, on time, and nothing from noise."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.audio_in.notes import track_notes
from live_jazz.audio_in.tracker import NoteOff, NoteOn, Tracker, TrackerConfig
from tests.audio_in.signals import RATE, Tone, render


def heard(notes, length=None, noise_db=-70.0, config=None, tuning=440.0):
    length = length or max(n.onset + n.duration for n in notes) + 0.3
    samples = render(notes, length, noise_db=noise_db, tuning=tuning)
    return track_notes(samples, Tracker(RATE, config))


def test_a_line_of_notes_is_heard_note_for_note_with_its_onsets():
    line = [Tone(p, 0.6 + 0.2 * i, 0.17) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72])]
    notes = heard(line)
    assert [n.pitch for n in notes] == [n.pitch for n in line]
    for note, true in zip(notes, line, strict=True):
        assert abs(note.onset_s - true.onset) < 0.03
        assert true.onset < note.known_s < true.onset + 0.06
        assert note.onset_s <= note.known_s and note.onset_s < note.end_s


def test_a_tongued_note_on_the_same_pitch_is_a_new_note():
    notes = heard([Tone(62, 0.6, 0.3), Tone(62, 0.93, 0.3), Tone(62, 1.26, 0.3)])
    assert [n.pitch for n in notes] == [62, 62, 62]


def test_vibrato_and_a_scoop_make_no_new_notes():
    notes = heard([Tone(64, 0.6, 0.8, vibrato=0.35), Tone(67, 1.6, 0.5, scoop=1.5)])
    assert [n.pitch for n in notes] == [64, 67]


def test_a_slur_without_an_attack_is_a_new_note():
    samples = render([Tone(60, 0.6, 0.4)], 1.5)
    # the same tone glides to a fifth above in 5 ms and holds there: no dip in level
    t = np.arange(samples.size) / RATE
    midi = 60 + 7 * np.clip((t - 0.8) / 0.005, 0.0, 1.0)
    phase = 2 * np.pi * np.cumsum(440.0 * 2 ** ((midi - 69) / 12)) / RATE
    envelope = np.clip(np.minimum((t - 0.6) / 0.01, (1.3 - t) / 0.02), 0.0, 1.0)
    slurred = (0.3 * envelope * sum(np.sin(k * phase) / k for k in range(1, 6)) / 1.6)
    notes = track_notes(slurred.astype(np.float32), Tracker(RATE))
    assert [n.pitch for n in notes] == [60, 67]
    assert abs(notes[0].end_s - notes[1].onset_s) < 0.01


def test_noise_alone_makes_no_note():
    samples = render([], 20.0, noise_db=-40.0)
    assert track_notes(samples, Tracker(RATE)) == []


def test_the_gate_measured_at_the_start_keeps_out_what_lies_under_it():
    quiet = Tone(60, 1.0, 0.4, level=0.004)
    loud = Tone(64, 1.6, 0.4, level=0.3)
    notes = heard([quiet, loud], noise_db=-45.0)
    assert [n.pitch for n in notes] == [64]


def test_a_given_gate_replaces_the_measured_one():
    notes = heard([Tone(60, 0.2, 0.4, level=0.05)], config=TrackerConfig(gate_db=-10.0))
    assert notes == []
    notes = heard([Tone(60, 0.2, 0.4, level=0.05)], config=TrackerConfig(gate_db=-60.0))
    assert [n.pitch for n in notes] == [60]


@pytest.mark.parametrize("tuning", [415.0, 442.0, 452.0])
def test_a_band_tuned_elsewhere_is_heard_on_its_own_names(tuning):
    line = [Tone(p, 0.6 + 0.25 * i, 0.2) for i, p in enumerate([57, 59, 61, 62])]
    notes = heard(line, tuning=tuning, config=TrackerConfig(tuning=tuning))
    assert [n.pitch for n in notes] == [57, 59, 61, 62]


def test_every_note_on_gets_its_note_off_even_when_the_stream_stops_mid_note():
    samples = render([Tone(60, 0.6, 2.0)], 1.0)
    tracker = Tracker(RATE)
    events = tracker.feed(samples) + tracker.finish()
    assert [type(e) for e in events] == [NoteOn, NoteOff]
    assert tracker.sounding is None


def test_blocks_of_any_length_give_the_same_notes():
    samples = render([Tone(60, 0.6, 0.3), Tone(65, 1.0, 0.3)], 1.6)
    whole = Tracker(RATE)
    events = whole.feed(samples) + whole.finish()
    pieces = Tracker(RATE)
    odd = []
    for first in range(0, samples.size, 1000):
        odd += pieces.feed(samples[first:first + 1000])
    assert odd + pieces.finish() == events
