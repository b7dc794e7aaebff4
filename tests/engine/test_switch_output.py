"""Switching the output mid-run (the port screen, the built-in voice): nothing hangs on either
port, and the music goes on into the new one without a restart."""

from __future__ import annotations

import time

from engine_fakes import assert_every_note_ended, beat_time, make_engine, note_ons

from live_jazz.engine import commands as cmd
from live_jazz.engine.events import LogLine, PortsChanged
from live_jazz.midi_io.ports import RecordingPort


def test_switching_mid_run_ends_the_old_ports_notes_and_plays_on_into_the_new(random_weights):
    engine, clock, old, _, events = make_engine(random_weights, swing=0.5)
    new = RecordingPort("new", clock=clock.now)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(6.1))
    assert note_ons(old, 0)
    switched_at = clock.now()
    engine.submit(cmd.SwitchOutput(new))
    engine.run_until(beat_time(14.3))
    deadline = time.monotonic() + 2
    while not old.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert old.closed
    assert_every_note_ended(old)
    assert all(t <= switched_at for t, m in old.sent if m.type == "note_on" and m.velocity)
    assert note_ons(new, 0) and note_ons(new, 1)
    engine.submit(cmd.Stop())
    engine.run_until(beat_time(14.4))
    assert_every_note_ended(new)
    assert engine.port is new and engine.dispatcher.port is new
    assert [e.out_port for e in events if isinstance(e, PortsChanged)][-1] == "new"
    assert any(isinstance(e, LogLine) and e.text == "output: new" for e in events)
    engine.close()
    assert new.closed
