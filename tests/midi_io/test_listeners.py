"""Whether anything listens to live-jazz's virtual output: ALSA's client list, JACK's
connections."""

from __future__ import annotations

import pytest
import rtmidi
from jack_clients import close_client, unique, wait_for

from live_jazz.midi_io import port_graph
from live_jazz.midi_io.listeners import ListenerProbe, alsa_listeners

ALSA_TEXT = """Client info
  cur  clients : 4
Client   0 : "System" [Kernel]
  Port   0 : "Timer" (Rwe-)
    Connecting To: 15:0
Client 128 : "live-jazz" [User Legacy]
  Port   0 : "live-jazz" (R-e-)
    Connecting To: 129:0, 130:0
Client 131 : "live-jazz in" [User Legacy]
  Port   0 : "live-jazz in" (-We-)
Client 132 : "quiet" [User Legacy]
  Port   0 : "quiet" (R-e-)
"""


@pytest.mark.parametrize(("client", "expected"), [("live-jazz", 2), ("quiet", 0),
                                                   ("absent", None)])
def test_alsa_subscribers_of_a_port(client: str, expected: int | None):
    assert alsa_listeners(ALSA_TEXT, client, client) == expected


def test_unknown_systems_say_nothing():
    assert ListenerProbe("coremidi", "live-jazz").count() is None


@pytest.mark.jack
def test_jack_connections_of_the_virtual_output(jack_server):  # noqa: ARG001
    from live_jazz.midi_io.rtmidi_ports import open_output

    client = unique("lj-listened")
    output = open_output("jack", None, client)
    probe = ListenerProbe("jack", client)
    ear = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, unique("lj-ear"))
    try:
        assert wait_for(lambda: f"{client}:{client}" in ear.get_ports())
        assert probe.count() == 0
        ear.open_port(ear.get_ports().index(f"{client}:{client}"))
        port_graph.changed()
        assert wait_for(lambda: probe.count() == 1)
    finally:
        close_client(ear)
        probe.close()
        output.close()
