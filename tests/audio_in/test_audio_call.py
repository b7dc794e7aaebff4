"""A call played into a microphone, heard by the tracker and answered: the engine in beat time
(a fake clock), the keys as the live path makes them (``key_message``), arriving when the
tracker would have known them."""

from __future__ import annotations

import mido

from live_jazz.audio_in.listen import AUDIO_CHANNEL, key_message
from live_jazz.audio_in.tracker import Tracker
from live_jazz.engine import commands as cmd
from live_jazz.engine.recorder import Recorder
from tests.audio_in.signals import RATE, Tone, render
from tests.engine.engine_fakes import assert_every_note_ended, beat_time, make_engine, note_ons

SOLO = 0
LEAD = 0.5
"""Seconds of room noise the tracker hears before the session's beat 0."""


def test_a_call_into_the_microphone_is_answered_on_its_bar_line(random_weights, tmp_path):
    recorder = Recorder(tmp_path / "session.mid", {"microphone": AUDIO_CHANNEL})
    engine, clock, port, queue, _ = make_engine(random_weights, mode="answer", comping=False,
                                                answer_silence_beats=1.0, recorder=recorder)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.01))
    audio_zero = beat_time(0) - LEAD  # clock time of the recording's first sample
    beats = (0.5, 1.0, 1.5, 2.0, 2.5)
    call = [Tone(62 + 2 * i, LEAD + b * 0.5, 0.2) for i, b in enumerate(beats)]
    samples = render(call, LEAD + 3.5, noise_db=-60.0)
    tracker = Tracker(RATE)
    for first in range(0, samples.size, tracker.hop):
        for event in tracker.feed(samples[first:first + tracker.hop]):
            engine.run_until(audio_zero + event.known_s)
            message, at = key_message(event)
            queue.put(message, audio_zero + at)
    engine.run_until(beat_time(4.5))
    answer = engine.turns.answers[0][0]
    assert answer.start == 48  # the bar line after the call's silence
    assert all(t >= beat_time(4) - 1e-9 for t, _ in note_ons(port, SOLO))
    engine.close()
    assert_every_note_ended(port)
    recorded = mido.MidiFile(tmp_path / "session.mid")
    tracks = {t.name: [m.note for m in t if m.type == "note_on" and m.velocity > 0]
              for t in recorded.tracks}
    assert tracks["microphone"] == [62, 64, 66, 68, 70]
    assert tracks["human"] == []
