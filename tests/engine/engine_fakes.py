"""The engine in beat time, shared by the engine's tests: a fake clock, a recording port."""

from __future__ import annotations

from collections import Counter

import mido

from live_jazz.engine.clock import FakeClock
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.engine import Engine
from live_jazz.engine.session import START_DELAY
from live_jazz.midi_io.ports import InputQueue, RecordingPort


def make_engine(weights, clock=None, recorder=None, send_clock=False, sync="internal",
                **settings):
    clock = clock or FakeClock()
    port = RecordingPort(clock=clock.now)
    queue = InputQueue(clock.now)
    config = EngineConfig(seed=3, **settings)
    engine = Engine(config, weights, port, clock=clock, input_queue=queue, recorder=recorder,
                    send_clock=send_clock, sync=sync)
    events = []
    engine.subscribe(events.append)
    return engine, clock, port, queue, events


def beat_time(beat: float, bpm: float = 120.0) -> float:
    """Clock time of session beat ``beat`` at a steady tempo (play submitted at time 0)."""
    return START_DELAY + beat * 60.0 / bpm


def note_ons(port, channel):
    return [(t, m) for t, m in port.sent if m.type == "note_on" and m.velocity > 0
            and m.channel == channel]


def assert_every_note_ended(port):
    """Every note-on has its note-off, and All Notes Off went out."""
    balance = Counter()
    for _, m in port.sent:
        if m.type == "note_on" and m.velocity > 0:
            balance[(m.channel, m.note)] += 1
        elif m.type in ("note_off", "note_on"):
            balance[(m.channel, m.note)] = max(0, balance[(m.channel, m.note)] - 1)
    assert not +balance, f"notes left hanging: {+balance}"
    assert not port.open_notes
    assert any(m.type == "control_change" and m.control == 123 for _, m in port.sent)


def play_key(queue, time, pitch, length, velocity=80, channel=0):
    queue.put(mido.Message("note_on", channel=channel, note=pitch, velocity=velocity), time)
    queue.put(mido.Message("note_off", channel=channel, note=pitch), time + length)
