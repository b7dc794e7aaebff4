"""Real MIDI ports on a JACK server (``jack_server``: CI runs ``jackd -d dummy``): live-jazz's
ports against test clients made with rtmidi directly."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import mido
import pytest
import rtmidi
from jack_clients import JackEar, Player, assert_ended_cleanly, close_client, unique, wait_for

from live_jazz.cli.main import main
from live_jazz.midi_io import port_graph
from live_jazz.midi_io.backends import UnknownPortError, list_ports, resolve_api
from live_jazz.midi_io.connection import CHECK_SECONDS
from live_jazz.midi_io.ports import InputQueue, PortChange
from live_jazz.midi_io.rtmidi_ports import input_port_name, open_input, open_output

pytestmark = [pytest.mark.jack, pytest.mark.usefixtures("jack_server")]

NOTE_ON = mido.Message("note_on", channel=0, note=60, velocity=90)
NOTE_OFF = mido.Message("note_off", channel=0, note=60, velocity=0)


def test_live_jazz_output_reaches_a_client():
    client = unique("lj-out")
    with open_output("jack", None, client_name=client) as port:
        listener = JackEar(unique("test-listener"), source=f"{client}:{client}")
        try:
            assert port.send(NOTE_ON)
            assert wait_for(lambda: NOTE_ON in listener.messages())
            assert port.send(NOTE_OFF)
            assert wait_for(lambda: NOTE_OFF in listener.messages())
            assert port.open_notes == set()
        finally:
            listener.close()


def test_closing_the_output_silences_what_still_sounds():
    client = unique("lj-out")
    port = open_output("jack", None, client_name=client)
    listener = JackEar(unique("test-listener"), source=f"{client}:{client}")
    try:
        for pitch in (60, 64, 67):
            assert port.send(NOTE_ON.copy(note=pitch))
        port.close()  # at once: its note-offs and All Notes Off still leave before the port goes
        assert wait_for(lambda: len(listener.messages()) == 3 + 3 + 16)
        messages = listener.messages()
        assert messages[:3] == [NOTE_ON.copy(note=pitch) for pitch in (60, 64, 67)]
        assert sorted(m.note for m in messages[3:6] if m.type == "note_off") == [60, 64, 67]
        assert_ended_cleanly(messages)
    finally:
        port.close()
        listener.close()


def test_output_into_an_existing_port_by_substring():
    synth = unique("test-synth")
    listener = JackEar(synth)
    try:
        with open_output("jack", synth, client_name=unique("lj-out")) as port:
            assert port.name == f"{synth}:in"
            assert port.send(NOTE_ON)
            assert wait_for(lambda: listener.messages() == [NOTE_ON])
    finally:
        listener.close()


def test_a_vanished_output_port_is_lost_quietly_and_reconnected_when_it_returns():
    synth = unique("test-synth")
    changes: list[PortChange] = []
    listener = JackEar(synth)
    try:
        port = open_output("jack", f"{synth}:in", client_name=unique("lj-out"),
                           on_change=changes.append)
    except BaseException:
        listener.close()
        raise
    with port:
        assert port.send(NOTE_ON)
        assert wait_for(lambda: NOTE_ON in listener.messages())
        listener.close()  # the synth quits, a note still sounding
        assert wait_for(lambda: bool(changes))
        assert changes == [PortChange("output", f"{synth}:in", connected=False)]
        errors = port.errors
        assert port.send(NOTE_OFF) is False  # lost, counted, no exception
        assert port.send(NOTE_ON) is False
        assert port.errors == errors + 2
        assert port.open_notes == {(0, 60)}  # the bookkeeping goes on
        time.sleep(3 * CHECK_SECONDS)  # a few more checks: still one warning
        assert len(changes) == 1
        listener = JackEar(synth)  # the synth is back
        try:
            assert wait_for(lambda: len(changes) == 2)
            assert changes[1] == PortChange("output", f"{synth}:in", connected=True)
            assert port.send(NOTE_OFF)
            assert wait_for(lambda: bool(listener.messages()))
            assert listener.messages()[0] == NOTE_OFF
        finally:
            port.close()
            listener.close()


def test_live_jazz_input_queues_what_a_client_plays():
    client = unique("lj")
    queue = InputQueue(time.perf_counter)
    with open_input("jack", None, queue, client_name=client) as port:
        assert port.name == input_port_name(client)
        player = Player(unique("test-player"), f"{client} in:{client} in")
        try:
            received: list[mido.Message] = []

            def arrived(n: int) -> bool:
                received.extend(m for _, m in queue.drain())
                return len(received) >= n

            player.rt.send_message(NOTE_ON.bytes())
            assert wait_for(lambda: arrived(1))
            received.clear()
            player.rt.send_message([0xF0, 0x7E, 0x01, 0xF7])  # SysEx: dropped
            player.rt.send_message([0xF8])  # clock: not following one, dropped
            player.rt.send_message([0x91, 64, 100])
            player.rt.send_message([65, 100])  # running status
            player.rt.send_message([0xF4])  # undefined: garbage
            player.rt.send_message([0x81, 64, 0])
            assert wait_for(lambda: arrived(3))
            assert received[:3] == [
                mido.Message("note_on", channel=1, note=64, velocity=100),
                mido.Message("note_on", channel=1, note=65, velocity=100),
                mido.Message("note_off", channel=1, note=64, velocity=0),
            ]
            assert wait_for(lambda: port.garbage == 1)
            assert port.errors == 0
            port._on_event((None, 0.0))  # whatever a backend hands over, the callback survives
            assert port.errors == 1
        finally:
            player.close()


@contextlib.contextmanager
def python_kept_busy() -> Iterator[None]:
    """Another thread that holds the GIL whenever it can (as the engine and the TUI do)."""
    stop = threading.Event()

    def burn() -> None:
        while not stop.is_set():
            sum(range(10_000))

    thread = threading.Thread(target=burn, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_chords_played_in_arrive_exactly_while_python_is_busy():
    """Several messages in one JACK period, while another thread holds the GIL: each arrives
    once and as played (an rtmidi callback, waiting for the GIL inside JACK's cycle, turned
    most of them into copies of their neighbours)."""
    client = unique("lj")
    queue = InputQueue(time.perf_counter)
    with open_input("jack", None, queue, client_name=client) as port:
        player = Player(unique("test-player"), f"{client} in:{client} in")
        played = [mido.Message(kind, channel=chord % 16, note=40 + chord + 3 * voice)
                  for chord in range(24) for kind in ("note_on", "note_off")
                  for voice in range(4)]
        received: list[mido.Message] = []
        try:
            with python_kept_busy():
                for start in range(0, len(played), 4):
                    for message in played[start:start + 4]:
                        player.rt.send_message(message.bytes())
                    time.sleep(0.005)
                assert wait_for(lambda: (received.extend(m for _, m in queue.drain()),
                                         len(received) >= len(played))[1])
            assert received == played
            assert port.garbage == 0
        finally:
            player.close()


def test_input_following_a_clock_queues_the_transport():
    client = unique("lj")
    queue = InputQueue(time.perf_counter)
    with open_input("jack", None, queue, client_name=client, clock=True):
        player = Player(unique("test-daw"), f"{client} in:{client} in")
        try:
            received: list[mido.Message] = []
            for message in (mido.Message("songpos", pos=8), mido.Message("continue"),
                            mido.Message("clock"), mido.Message("stop")):
                player.rt.send_message(message.bytes())
            assert wait_for(lambda: (received.extend(m for _, m in queue.drain()),
                                     len(received) >= 4)[1])
            assert [m.type for m in received] == ["songpos", "continue", "clock", "stop"]
        finally:
            player.close()


def test_a_flood_fills_the_bounded_queue_and_is_counted():
    client = unique("lj")
    queue = InputQueue(time.perf_counter, maxsize=16)
    with open_input("jack", None, queue, client_name=client):
        player_client = unique("test-flood")
        player = Player(player_client, f"{client} in:{client} in")
        # A second listener of the player: once it has all 200, JACK has delivered them to
        # live-jazz's input too (both read the same cycles).
        witness = JackEar(unique("test-witness"), source=f"{player_client}:out")
        try:
            for i in range(200):
                player.rt.send_message([0x90, i % 128, 100])
            assert wait_for(lambda: len(witness.messages()) == 200)
            assert len(queue.drain()) == 16
            assert queue.dropped == 184
        finally:
            witness.close()
            player.close()


def test_input_from_an_existing_port_reconnects_when_it_returns():
    keyboard = unique("test-keyboard")
    changes: list[PortChange] = []
    source = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, keyboard)
    source.open_virtual_port("out")
    port_graph.changed()
    queue = InputQueue(time.perf_counter)
    port = open_input("jack", keyboard, queue, client_name=unique("lj"), on_change=changes.append)
    try:
        assert port.name == f"{keyboard}:out"
        close_client(source)
        assert wait_for(lambda: [c.connected for c in changes] == [False])
        source = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, keyboard)
        source.open_virtual_port("out")
        port_graph.changed()
        assert wait_for(lambda: [c.connected for c in changes] == [False, True])
        source.send_message(NOTE_ON.bytes())
        assert wait_for(lambda: queue.drain() != [])
    finally:
        port.close()
        close_client(source)


def test_list_ports_sees_clients_on_both_sides():
    listener, keyboard = JackEar(unique("test-synth")), unique("test-keyboard")
    source = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, keyboard)
    source.open_virtual_port("out")
    port_graph.changed()
    try:
        inputs, outputs = list_ports("jack")
        assert f"{keyboard}:out" in inputs
        assert any(name.endswith(":in") and name.startswith("test-synth") for name in outputs)
        assert f"{keyboard}:out" not in outputs
    finally:
        listener.close()
        close_client(source)


def test_an_unknown_port_is_one_line_that_lists_the_ports():
    synth = unique("test-synth")
    listener = JackEar(synth)
    try:
        with pytest.raises(UnknownPortError) as caught:
            open_output(resolve_api("jack"), "no-such-synth", client_name=unique("lj-out"))
        text = str(caught.value)
        assert "\n" not in text
        assert text.startswith("no MIDI output port 'no-such-synth' (available: ")
        assert f"{synth}:in" in text
    finally:
        listener.close()


def test_an_ambiguous_port_lists_the_candidates():
    first, second = JackEar(unique("test-twin")), JackEar(unique("test-twin"))
    try:
        with pytest.raises(UnknownPortError, match="ambiguous") as caught:
            open_output("jack", "test-twin", client_name=unique("lj-out"))
        assert str(caught.value).count("test-twin") >= 3
    finally:
        first.close()
        second.close()


def test_the_ports_command_lists_both_sides(capsys: pytest.CaptureFixture[str]):
    synth, keyboard = unique("test-synth"), unique("test-keyboard")
    listener = JackEar(synth)
    source = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, keyboard)
    source.open_virtual_port("out")
    port_graph.changed()
    try:
        assert main(["ports", "--midi-api", "jack"]) == 0
    finally:
        listener.close()
        close_client(source)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "MIDI API: Jack"
    inputs, outputs = out.index("inputs (--in-port):"), out.index("outputs (--out-port):")
    assert f"  {keyboard}:out" in out[inputs:outputs]
    assert f"  {synth}:in" in out[outputs:]
