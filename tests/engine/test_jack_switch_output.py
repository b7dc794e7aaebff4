"""Switching the output between two JACK clients mid-run (what the port screen does): the first
hears its notes end and All Notes Off, the second hears the music go on, and neither is left with
a note sounding."""

from __future__ import annotations

import time

import pytest
from jack_clients import JackEar, assert_ended_cleanly, closed, unique, wait_for

from live_jazz.cli.options import PlayOptions
from live_jazz.cli.wiring import build_engine
from live_jazz.engine.commands import Play, SwitchOutput
from live_jazz.engine.config import EngineConfig
from live_jazz.midi_io.rtmidi_ports import open_output

pytestmark = [pytest.mark.jack, pytest.mark.usefixtures("jack_server")]


def note_ons(ear: JackEar) -> int:
    return sum(1 for m in ear.messages() if m.type == "note_on" and m.velocity > 0)


def test_switching_between_two_clients_mid_run_leaves_no_note_hanging(random_weights_dir):
    client, names = unique("lj"), (unique("first"), unique("second"))
    first, second = (JackEar(name) for name in names)
    options = PlayOptions(config=EngineConfig(tempo=240.0, seed=4), weights=random_weights_dir,
                          midi_api="jack", client_name=client, no_input=True, no_record=True,
                          out_port=f"{names[0]}:in")
    engine = build_engine(options)
    try:
        engine.start()
        engine.submit(Play())
        assert wait_for(lambda: note_ons(first) >= 6)
        engine.submit(SwitchOutput(open_output("jack", f"{names[1]}:in", client)))
        assert wait_for(lambda: closed(first.messages()))
        heard_first = note_ons(first)
        assert wait_for(lambda: note_ons(second) >= 6)
        time.sleep(0.1)
        assert note_ons(first) == heard_first  # nothing more went to the first
    finally:
        engine.close()
    try:
        assert wait_for(lambda: closed(second.messages()))
    finally:
        first.close()
        second.close()
    assert_ended_cleanly(first.messages())
    # Notes sounding at the switch end on the first; their note-offs also reach the second,
    # which never heard them start: strays, harmless, never a note left on.
    assert_ended_cleanly(second.messages(), strays_allowed=True)
