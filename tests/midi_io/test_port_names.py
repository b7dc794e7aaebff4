"""Finding ports by name, choosing the MIDI system, and the errors a user reads: no backend
needed (the systems are faked where it matters)."""

from __future__ import annotations

import pytest
import rtmidi

from live_jazz.cli.main import main
from live_jazz.midi_io import backends
from live_jazz.midi_io.backends import NoBackendError, UnknownPortError, find_port, resolve_api
from live_jazz.midi_io.connection import _without_numbers

JACK_PORTS = ["system:midi_playback_1", "fluidsynth:midi_00", "live-jazz:live-jazz",
              "a2j:Midi Through [14] (playback): Midi Through Port-0"]
ALSA_PORTS = ["Midi Through:Midi Through Port-0 14:0", "FLUID Synth (4242):Synth input port "
              "(4242:0) 130:0", "live-jazz in:live-jazz in 129:0"]


@pytest.mark.parametrize(("wanted", "index"), [
    ("fluidsynth:midi_00", 1),  # exact
    ("fluid", 1),  # substring, any case
    ("FLUIDSYNTH", 1),
    ("playback_1", 0),
])
def test_ports_by_exact_name_or_substring(wanted: str, index: int):
    assert find_port(JACK_PORTS, wanted, "output", "live-jazz") == index


def test_an_exact_name_wins_over_substrings():
    names = ["synth:in", "synth:in 2"]
    assert find_port(names, "synth:in", "output", "live-jazz") == 0


def test_live_jazz_never_connects_to_itself():
    with pytest.raises(UnknownPortError):
        find_port(JACK_PORTS, "live-jazz", "output", "live-jazz")
    assert find_port(ALSA_PORTS, "through", "input", "live-jazz") == 0
    with pytest.raises(UnknownPortError):
        find_port(ALSA_PORTS, "live-jazz in", "input", "live-jazz")


def test_unknown_port_lists_the_others_on_one_line():
    with pytest.raises(UnknownPortError) as caught:
        find_port(JACK_PORTS, "nord", "output", "live-jazz")
    assert str(caught.value) == (
        "no MIDI output port 'nord' (available: system:midi_playback_1; fluidsynth:midi_00; "
        "a2j:Midi Through [14] (playback): Midi Through Port-0)")


def test_no_ports_at_all_says_none():
    with pytest.raises(UnknownPortError, match=r"\(available: none\)"):
        find_port([], "synth", "input", "live-jazz")


def test_ambiguous_substring_lists_the_candidates():
    with pytest.raises(UnknownPortError) as caught:
        find_port(JACK_PORTS, "midi", "output", "live-jazz")
    assert "ambiguous" in str(caught.value)
    assert "fluidsynth:midi_00" in str(caught.value)


@pytest.mark.parametrize(("name", "stable"), [
    ("FLUID Synth (4242):Synth input port (4242:0) 130:0", "FLUID Synth (4242):Synth input port "
                                                           "(4242:0)"),
    ("Midi Through:Midi Through Port-0 14:0", "Midi Through:Midi Through Port-0"),
    ("fluidsynth:midi_00", "fluidsynth:midi_00"),  # JACK names carry no numbers
    ("synth 2", "synth 2"),
])
def test_alsa_numbers_are_not_part_of_a_ports_identity(name: str, stable: str):
    assert _without_numbers(name) == stable


def test_unknown_api_is_refused():
    with pytest.raises(NoBackendError, match="unknown MIDI API 'beos'"):
        resolve_api("beos")


def _no_server(*args: object, **kwargs: object) -> None:
    raise rtmidi.SystemError("MidiOutJack::initialize: JACK server not running?")


def test_no_jack_server_says_what_to_do(monkeypatch: pytest.MonkeyPatch):
    # JACK is asked through a client that is never activated (no rtmidi client at all).
    monkeypatch.setattr(backends.rtmidi, "MidiOut", _no_server)
    monkeypatch.setattr(backends.jack_lib.PassiveClient, "open", lambda name: None)
    with pytest.raises(NoBackendError) as caught:
        resolve_api("jack")
    assert str(caught.value) == ("no JACK server running: start one (e.g. `jackd -d dummy`, or "
                                 "QjackCtl) or choose another --midi-api")


@pytest.mark.skipif(not backends.sys.platform.startswith("linux"), reason="Linux's choice")
def test_auto_without_alsa_or_jack_says_what_to_do(monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setattr(backends.os.path, "exists", lambda path: False)
    monkeypatch.setattr(backends.rtmidi, "MidiOut", _no_server)
    monkeypatch.setattr(backends.jack_lib.PassiveClient, "open", lambda name: None)
    with pytest.raises(NoBackendError) as caught:
        resolve_api("auto")
    text = str(caught.value)
    assert "no ALSA sequencer" in text and "no JACK server" in text and "--midi-api" in text
    assert main(["ports"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("live-jazz: error: no MIDI backend:")
    assert err.count("\n") == 1


@pytest.mark.skipif(not backends.sys.platform.startswith("linux"), reason="Linux's choice")
def test_auto_falls_back_to_jack_without_an_alsa_sequencer(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(backends.os.path, "exists", lambda path: False)
    monkeypatch.setattr(backends, "jack_server_running", lambda: True)
    assert resolve_api("auto").name == "jack"
