"""The engine on real JACK MIDI ports (``jack_server``: CI runs ``jackd -d dummy``): a test client
listens to live-jazz's output, another plays a call into its input and hears the answer."""

from __future__ import annotations

import time

import mido
import pytest
from jack_clients import JackEar, Player, assert_ended_cleanly, closed, unique, wait_for

from live_jazz.cli.options import PlayOptions
from live_jazz.cli.wiring import build_engine
from live_jazz.engine.commands import Play, Stop
from live_jazz.engine.config import EngineConfig

pytestmark = [pytest.mark.jack, pytest.mark.usefixtures("jack_server")]

def test_a_client_plays_a_call_and_hears_the_answer(random_weights_dir, tmp_path):
    client = unique("lj")
    options = PlayOptions(
        config=EngineConfig(mode="answer", tempo=240.0, comping=False, seed=2),
        weights=random_weights_dir, midi_api="jack", client_name=client,
        record=tmp_path / "call.mid",
    )
    engine = build_engine(options)
    ear = JackEar(unique("test-ear"), f"{client}:{client}")
    hand = Player(unique("test-hand"), f"{client} in:{client} in")
    try:
        engine.start()
        engine.submit(Play())
        time.sleep(0.3)
        for pitch in (60, 62, 64, 67, 65):
            hand.play(pitch, 0.1)
            time.sleep(0.02)
        assert wait_for(lambda: bool(engine.turns.answers))
        assert wait_for(lambda: any(m.type == "note_on" and m.channel == 0
                                    for m in ear.messages()))
        answer = engine.turns.answers[0][0]
        bar = 48
        assert answer.start % bar == 0 and answer.start >= answer.call_end
        assert answer.start - answer.call_end <= bar + 12  # the next bar line, not one later
        engine.submit(Stop())
    finally:
        path = engine.close()
        hand.close()
    try:
        assert wait_for(lambda: closed(ear.messages()))
    finally:
        ear.close()
    assert_ended_cleanly(ear.messages())
    midi = mido.MidiFile(path)
    human = [m for m in midi.tracks[1] if m.type == "note_on" and m.velocity]
    assert [m.note for m in human] == [60, 62, 64, 67, 65]  # the call, as heard


def test_notes_leave_on_time_through_a_real_port(random_weights_dir):
    """Sends go out through JACK at their deadlines: what the listening client receives keeps
    the engine's order, and every note ends with its own note-off."""
    client = unique("lj")
    options = PlayOptions(config=EngineConfig(tempo=300.0, seed=4), weights=random_weights_dir,
                          midi_api="jack", client_name=client, no_record=True, no_input=True,
                          send_clock=True)
    engine = build_engine(options)
    ear = JackEar(unique("test-ear"), f"{client}:{client}", timing=True)
    try:
        engine.start()
        engine.submit(Play())
        assert wait_for(lambda: sum(m.type == "clock" for m in ear.messages()) >= 24 * 4)
    finally:
        engine.close()
    try:
        assert wait_for(lambda: closed(ear.messages()))
    finally:
        ear.close()
    messages = ear.messages()
    assert messages[0].type == "start"
    assert any(m.type == "note_on" and m.channel == 1 for m in messages)  # comping
    assert_ended_cleanly(messages)
    assert engine.dispatcher.stats.sent > 24 * 4


def test_it_follows_a_clock_master_on_its_input(random_weights_dir):
    client = unique("lj")
    options = PlayOptions(config=EngineConfig(tempo=100.0, seed=5), weights=random_weights_dir,
                          midi_api="jack", client_name=client, no_record=True,
                          sync="external")
    engine = build_engine(options)
    ear = JackEar(unique("test-ear"), f"{client}:{client}")
    master = Player(unique("test-hand"), f"{client} in:{client} in")
    try:
        engine.start()
        engine.submit(Play())  # ignored: the master starts it
        time.sleep(0.2)
        assert not engine.playing
        period = 60.0 / 150.0 / 24
        master.rt.send_message([0xFA])  # Start
        start = time.perf_counter()
        for n in range(24 * 8):  # eight beats at 150 BPM
            time.sleep(max(0.0, start + n * period - time.perf_counter()))
            master.rt.send_message([0xF8])
        assert engine.playing
        assert engine.beat.bpm == pytest.approx(150.0, abs=3.0)
        assert any(m.type == "note_on" for m in ear.messages())
        master.rt.send_message([0xFC])  # Stop
        assert wait_for(lambda: not engine.playing)
    finally:
        engine.close()
        master.close()
    try:
        assert wait_for(lambda: closed(ear.messages()))
    finally:
        ear.close()
    assert_ended_cleanly(ear.messages())


def test_a_synth_that_vanishes_and_returns(random_weights_dir, tmp_path):
    """The engine plays on into the recording while the synth is gone, says so, and resets
    the synth with All Notes Off when it is back."""
    synth_name = unique("test-synth")
    synth = JackEar(synth_name)
    client = unique("lj")
    options = PlayOptions(config=EngineConfig(tempo=300.0, seed=6), weights=random_weights_dir,
                          midi_api="jack", client_name=client, out_port=synth_name,
                          no_input=True, record=tmp_path / "gone.mid")
    engine = build_engine(options)
    lines: list[str] = []
    engine.subscribe(lambda event: lines.append(getattr(event, "text", "")))
    try:
        engine.start()
        engine.submit(Play())
        assert wait_for(lambda: any(m.type == "note_on" for m in synth.messages()))
        synth.close()  # the synth quits mid-note
        assert wait_for(lambda: any("vanished" in line for line in lines))
        time.sleep(0.5)
        assert engine.playing
        synth = JackEar(synth_name)  # it is back
        assert wait_for(lambda: any("is back" in line for line in lines))
        assert wait_for(lambda: any(m.type == "note_on" for m in synth.messages()))
        first = synth.messages()
        resets = [i for i, m in enumerate(first) if m.type == "control_change"
                  and m.control == 123]
        notes = [i for i, m in enumerate(first) if m.type == "note_on"]
        assert resets and resets[0] < notes[0]  # All Notes Off before anything else
    finally:
        path = engine.close()
    try:
        assert wait_for(lambda: closed(synth.messages()))
    finally:
        synth.close()
    assert_ended_cleanly(synth.messages(), strays_allowed=True)
    midi = mido.MidiFile(path)
    assert sum(1 for m in midi.tracks[2] if m.type == "note_on") > 0
