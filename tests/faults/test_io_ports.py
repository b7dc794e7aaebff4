"""Faults around the output port, through real JACK ports and an outside client standing for
the synth: ``kill -9`` then a fresh start, and the synth vanishing and coming back."""

from __future__ import annotations

import signal
import time

import mido
import pytest
from faults_run import Headless
from jack_clients import (
    JackEar,
    assert_ended_cleanly,
    closed,
    unique,
    unmatched,
    wait_for,
)

from live_jazz.midi_io.connection import CHECK_SECONDS
from live_jazz.midi_io.ports import ALL_NOTES_OFF, SUSTAIN

pytestmark = [pytest.mark.faults, pytest.mark.jack, pytest.mark.usefixtures("jack_server")]

CHANNELS = (0, 1)
"""The engine's channels by default: the improviser's and the comping's."""


def _notes(messages: list[mido.Message]) -> int:
    return sum(m.type == "note_on" and m.velocity > 0 for m in messages)


def test_a_fresh_start_releases_what_a_killed_run_left_hanging(random_weights_dir):
    """``kill -9`` leaves notes hanging at the synth (nothing can prevent that); the next start
    sends Sustain off and All Notes Off on its channels before anything else, and ends every
    note it plays itself."""
    synth_name = unique("test-synth")
    synth = JackEar(synth_name)
    try:
        args = ("--out-port", synth_name, "--no-input", "--no-record", "--tempo", "300",
                "--quiet")
        first = Headless(random_weights_dir, "--client-name", unique("lj"), *args)
        assert wait_for(lambda: _notes(synth.messages()) >= 4), first.lines[-5:]
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
        time.sleep(0.3)  # what was on its way has arrived
        cut = len(synth.messages())
        second = Headless(random_weights_dir, "--client-name", unique("lj"), *args)
        assert wait_for(lambda: _notes(synth.messages()[cut:]) >= 4), second.lines[-5:]
        assert second.stop() == 128 + signal.SIGTERM
        assert wait_for(lambda: closed(synth.messages()))
    finally:
        synth.close()
    killed, fresh = synth.messages()[:cut], synth.messages()[cut:]
    _, hanging = unmatched(killed)
    assert {channel for channel, _ in hanging} <= set(CHANNELS)
    resets = [mido.Message("control_change", channel=channel, control=control, value=0)
              for channel in CHANNELS for control in (SUSTAIN, ALL_NOTES_OFF)]
    assert fresh[:len(resets)] == resets  # before its first note
    assert_ended_cleanly(fresh)


def test_a_synth_that_vanishes_and_returns_is_logged_once_each_way(random_weights_dir):
    """The loss and the return of the port are each one log line (they were two in headless
    mode: the port watcher and the engine both logged them); the music goes on and ends clean."""
    synth_name = unique("test-synth")
    synth = JackEar(synth_name)
    player = Headless(random_weights_dir, "--client-name", unique("lj"), "--out-port",
                      synth_name, "--no-input", "--no-record", "--tempo", "300", "--quiet")
    try:
        assert wait_for(lambda: _notes(synth.messages()) > 0), player.lines[-5:]
        synth.close()
        assert player.wait_until_said("vanished"), player.lines[-5:]
        time.sleep(2 * CHECK_SECONDS)
        synth = JackEar(synth_name)
        assert player.wait_until_said("is back"), player.lines[-5:]
        assert wait_for(lambda: _notes(synth.messages()) > 0)
        assert player.stop() == 128 + signal.SIGTERM
        assert wait_for(lambda: closed(synth.messages()))
    finally:
        synth.close()
    lines = player.lines
    assert sum("vanished" in line for line in lines) == 1, lines
    assert sum("is back" in line for line in lines) == 1, lines
    assert_ended_cleanly(synth.messages(), strays_allowed=True)
