"""Faults on the way in, through real JACK ports (``jack_server``: CI runs ``jackd -d dummy``):
an unterminated SysEx, a MIDI clock at ten times the speed, a flood. Outside clients play and
listen; nothing may hang, and the input must keep hearing."""

from __future__ import annotations

import time

import mido
import numpy as np
import pytest
from jack_clients import JackEar, Player, assert_ended_cleanly, closed, unique, wait_for

from live_jazz.cli.options import PlayOptions
from live_jazz.cli.wiring import build_engine
from live_jazz.engine.config import TEMPO_RANGE, EngineConfig
from live_jazz.engine.events import LogLine
from live_jazz.engine.external_clock import ClockFollower
from live_jazz.midi_io.decode import MidiDecoder
from live_jazz.midi_io.jack_input import READ_LIMIT, InputTrouble, JackQueueReader
from live_jazz.midi_io.jack_server import query_server
from live_jazz.midi_io.ports import InputQueue
from live_jazz.midi_io.rtmidi_ports import open_input

pytestmark = [pytest.mark.faults]

UNTERMINATED_SYSEX = [0xF0, 0x7D, 0x01, 0x02]
"""A SysEx start with no end byte (F7): rtmidi's JACK input took all that followed for it."""


def test_a_status_byte_ends_an_open_sysex_and_its_message_is_heard():
    decoder = MidiDecoder()
    messages = decoder.feed([*UNTERMINATED_SYSEX, 0x90, 60, 90, 0x80, 60, 0])
    assert [m.type for m in messages] == ["note_on", "note_off"]
    assert decoder.sysex_cut == 1 and decoder.garbage == len(UNTERMINATED_SYSEX)


def test_input_trouble_is_one_line_at_most_once_a_second():
    trouble = InputTrouble()
    assert trouble.report(0.0) is None
    trouble.flooded, trouble.sysex_cut = 10, 1
    line = trouble.report(1.0)
    assert line is not None and "10 message(s) dropped" in line and "SysEx" in line
    trouble.flooded = 20
    assert trouble.report(1.5) is None  # not yet
    assert trouble.report(2.0) == "MIDI input flooded: 10 message(s) dropped"


def test_clock_ticks_beyond_400_bpm_are_dropped_and_a_jittery_400_bpm_is_not():
    clock = mido.Message("clock")
    flood = ClockFollower()
    for n in range(24 * 40):  # 40 beats at 4000 BPM
        flood.feed(clock, n * 60.0 / 4000.0 / 24)
    assert flood.dropped > 24 * 30
    assert flood.bpm is not None and flood.bpm <= 1.1 * TEMPO_RANGE[1]
    assert flood.tempo_to_follow(0.0, 1.0) <= TEMPO_RANGE[1]
    steady = ClockFollower()
    rng = np.random.default_rng(0)
    tick = 60.0 / TEMPO_RANGE[1] / 24
    for n in range(24 * 40):  # 400 BPM, each tick up to a millisecond early or late
        steady.feed(clock, n * tick + rng.uniform(-0.001, 0.001))
    assert steady.dropped == 0
    assert steady.bpm == pytest.approx(TEMPO_RANGE[1], rel=0.01)
    held_up = ClockFollower()
    for n in range(24 * 8):  # 150 BPM from a master that sends in bursts of half a beat
        held_up.feed(clock, (n // 12) * 12 * 60.0 / 150.0 / 24 + n * 1e-5)
    assert held_up.dropped == 0


def _note_ons(byte_lists: list[list[int]]) -> list[int]:
    """Pitches of the note-ons in raw MIDI bytes (each a status byte, pitch and velocity)."""
    found = []
    for data in byte_lists:
        for i in range(len(data) - 2):
            if data[i] & 0xF0 == 0x90 and data[i + 1] < 0x80 and 0 < data[i + 2] < 0x80:
                found.append(data[i + 1])
    return found


def _ended(byte_lists: list[list[int]], pitch: int) -> bool:
    """Whether the note-off of ``pitch`` is in raw MIDI bytes (the hand's last message)."""
    last = [0x80, pitch, 0]
    return any(data[i:i + 3] == last for data in byte_lists for i in range(len(data) - 2))


@pytest.mark.jack
@pytest.mark.usefixtures("jack_server")
def test_an_unterminated_sysex_does_not_deafen_the_input(monkeypatch: pytest.MonkeyPatch):
    """F0 7D 01 02 without F7, then eight notes: every note is heard (rtmidi glued them to the
    open SysEx; the next status byte ends it) and the cut SysEx is reported.

    What rtmidi's input hands over is kept too: every note in it must be heard (what reaches
    live-jazz is never lost by it). Against a server without real-time, JACK itself loses some
    now and then: the receiving client finds the sender's buffer not written by its late cycle
    ("Jack::MidiBufferMixdown - invalid source buffer") and skips it, so those notes never reach
    rtmidi (3 of 26 runs in CI; 2-5 of 30 in a loop on a loaded 2-core machine, 0 of 30 against
    a real-time server). The test then says so (xfail) rather than blame the input."""
    raw: list[list[int]] = []
    take = JackQueueReader._take_events

    def recorded(reader: JackQueueReader) -> list[tuple[list[int], float]]:
        events = take(reader)
        raw.extend(data for data, _ in events)
        return events

    monkeypatch.setattr(JackQueueReader, "_take_events", recorded)
    client = unique("lj")
    queue = InputQueue(time.perf_counter)
    played = list(range(60, 68))
    with open_input("jack", None, queue, client_name=client) as port:
        hand = Player(unique("test-hand"), f"{client} in:{client} in")
        heard: list[mido.Message] = []
        try:
            time.sleep(0.1)  # the connection is made: the SysEx is not lost before it
            hand.rt.send_message(UNTERMINATED_SYSEX)
            time.sleep(0.05)
            for pitch in played:
                hand.play(pitch, 0.01)
            wait_for(lambda: (heard.extend(m for _, m in queue.drain()),
                              sum(m.type == "note_on" for m in heard) >= 8
                              or _ended(raw, played[-1]))[1])
            heard.extend(m for _, m in queue.drain())
        finally:
            hand.close()
        arrived = _note_ons(raw)
        assert [m.note for m in heard if m.type == "note_on"] == arrived, (heard, raw)
        if arrived != played:
            server = query_server()
            if server is not None and not server.realtime:
                pytest.xfail(f"notes {sorted(set(played) - set(arrived))} lost by the JACK "
                             "server (without real-time) before they reached live-jazz's input")
        assert arrived == played, raw
        assert port.garbage >= len(UNTERMINATED_SYSEX)
        reports = queue.take_reports()
        assert any("SysEx" in line for line in reports), reports


@pytest.mark.jack
@pytest.mark.usefixtures("jack_server")
def test_a_flood_is_counted_and_the_notes_after_it_are_heard():
    """More messages at once than one read decodes: the surplus is dropped and reported as one
    line (not rtmidi's line per message on stderr), and the input hears what follows."""
    client = unique("lj")
    queue = InputQueue(time.perf_counter, maxsize=16 * READ_LIMIT)
    with open_input("jack", None, queue, client_name=client):
        hand = Player(unique("test-hand"), f"{client} in:{client} in")
        reports: list[str] = []

        def flood() -> bool:
            for _ in range(2 * READ_LIMIT):
                hand.rt.send_message([0xB0, 1, 64])
            time.sleep(0.2)  # arrived in rtmidi's queue (a loaded machine may need more)
            queue.drain()
            reports.extend(queue.take_reports())
            return any("dropped" in line for line in reports)

        try:
            assert wait_for(flood), reports
            assert wait_for(lambda: not queue.drain())  # the flood is over
            hand.play(72, 0.01)
            heard: list[mido.Message] = []
            assert wait_for(lambda: (heard.extend(m for _, m in queue.drain()),
                                     any(m.type == "note_off" for m in heard))[1])
        finally:
            hand.close()
        assert [m.type for m in heard if m.type != "control_change"] == ["note_on", "note_off"]


@pytest.mark.jack
@pytest.mark.usefixtures("jack_server")
def test_a_clock_at_ten_times_the_speed_is_clamped_and_played_in_time(random_weights_dir):
    """A master sending MIDI clock ten times too fast (1500 BPM): the tempo followed stays in
    the allowed range, clock bytes beyond what 400 BPM needs are dropped, the engine keeps
    its notes on time, and nothing hangs at the end."""
    client = unique("lj")
    options = PlayOptions(config=EngineConfig(tempo=100.0, seed=5), weights=random_weights_dir,
                          midi_api="jack", client_name=client, no_record=True,
                          sync="external")
    engine = build_engine(options)
    lines: list[str] = []
    engine.subscribe(lambda event: lines.append(event.text) if isinstance(event, LogLine)
                     else None)
    ear = JackEar(unique("test-ear"), f"{client}:{client}")
    master = Player(unique("test-master"), f"{client} in:{client} in")
    try:
        engine.start()
        period = 60.0 / 1500.0 / 24
        master.rt.send_message([0xFA])  # Start
        start = time.perf_counter()
        n = 0
        while time.perf_counter() - start < 3.0:
            time.sleep(max(0.0, start + n * period - time.perf_counter()))
            master.rt.send_message([0xF8])
            n += 1
        assert engine.playing
        assert TEMPO_RANGE[0] <= engine.beat.bpm <= TEMPO_RANGE[1]
        assert engine.beat.follower.dropped > 0
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
    stats = engine.dispatcher.stats
    assert stats.sent > 0
    # No flood of late events: a dragged engine is late with nearly everything (a loaded
    # machine makes a few late anyway: the bound is loose on purpose).
    assert stats.late <= stats.sent // 2, (stats, lines)
