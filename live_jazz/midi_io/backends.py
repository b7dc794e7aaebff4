"""Which MIDI system to talk to (ALSA, JACK, CoreMIDI through python-rtmidi), what ports it has,
and the one-line errors a user sees when that goes wrong.

``auto`` is ALSA on Linux, or JACK when the ALSA sequencer is missing (containers, JACK-only
setups); CoreMIDI on macOS; rtmidi's own default elsewhere. libasound and libjack print their
complaints straight to the process's stderr when a backend is missing; those lines are caught
here and logged at debug level, so the user reads one clear line instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import rtmidi

from live_jazz.midi_io import jack_lib
from live_jazz.midi_io.ports import PortError
from live_jazz.midi_io.quiet import quiet_stderr

log = logging.getLogger(__name__)

API_NAMES = ("auto", "alsa", "jack", "coremidi", "winmm")
"""What ``--midi-api`` accepts."""

_RTMIDI_APIS = {
    "alsa": rtmidi.API_LINUX_ALSA,
    "jack": rtmidi.API_UNIX_JACK,
    "coremidi": rtmidi.API_MACOSX_CORE,
    "winmm": rtmidi.API_WINDOWS_MM,
}
ALSA_SEQUENCER = "/dev/snd/seq"


class NoBackendError(PortError):
    """No MIDI system to talk to (no ALSA sequencer, no JACK server, API not built in)."""


class UnknownPortError(PortError):
    """No port (or more than one) matches the name the user gave."""


@dataclass(frozen=True)
class MidiApi:
    """A resolved MIDI system."""

    name: str
    """``alsa``, ``jack``, ``coremidi``, or rtmidi's name for another platform's default."""
    rtmidi_api: int
    """The ``rtmidi.API_*`` constant."""

    @property
    def display_name(self) -> str:
        """How rtmidi spells it for people (``ALSA``, ``Jack``, ``CoreMidi``)."""
        return rtmidi.get_api_display_name(self.rtmidi_api)


def _compiled() -> dict[int, str]:
    return {api: rtmidi.get_api_name(api) for api in rtmidi.get_compiled_api()}


def resolve_api(name: str) -> MidiApi:
    """``--midi-api`` -> a MidiApi that works here now, or NoBackendError saying what to do."""
    if name not in API_NAMES:
        raise NoBackendError(f"unknown MIDI API {name!r} (choose from {', '.join(API_NAMES)})")
    if name == "auto":
        return _auto_api()
    api = MidiApi(name, _RTMIDI_APIS[name])
    if api.rtmidi_api not in _compiled():
        available = ", ".join(sorted(n for n, a in _RTMIDI_APIS.items() if a in _compiled()))
        raise NoBackendError(
            f"MIDI API {name} is not available on this system (available: {available or 'none'})"
        )
    _probe(api)
    return api


def _auto_api() -> MidiApi:
    if sys.platform == "darwin":
        return MidiApi("coremidi", rtmidi.API_MACOSX_CORE)
    if not sys.platform.startswith("linux"):
        probe = rtmidi.MidiOut()
        api = probe.get_current_api()
        probe.delete()
        return MidiApi(rtmidi.get_api_name(api), api)
    if os.path.exists(ALSA_SEQUENCER):
        alsa = MidiApi("alsa", rtmidi.API_LINUX_ALSA)
        with contextlib.suppress(NoBackendError):
            _probe(alsa)
            return alsa
    jack = MidiApi("jack", rtmidi.API_UNIX_JACK)
    if jack.rtmidi_api in _compiled() and jack_server_running():
        log.info("no ALSA sequencer (%s): using JACK", ALSA_SEQUENCER)
        return jack
    raise NoBackendError(
        f"no MIDI backend: no ALSA sequencer ({ALSA_SEQUENCER}; load the snd-seq kernel module) "
        "and no JACK server running (start one, e.g. `jackd -d dummy`); "
        "or choose one with --midi-api"
    )


def _probe(api: MidiApi) -> None:
    """Open and close a client: raises NoBackendError, with advice, if the system is absent
    (under JACK a client that is never activated: see ``jack_lib``)."""
    if api.rtmidi_api == rtmidi.API_UNIX_JACK:
        if not jack_lib.server_running():
            raise NoBackendError(_advice(api.name, rtmidi.RtMidiError("no server")))
        return
    try:
        with quiet_stderr():
            client = rtmidi.MidiOut(api.rtmidi_api, "live-jazz probe")
            client.delete()
    except rtmidi.RtMidiError as error:
        raise NoBackendError(_advice(api.name, error)) from None


def _advice(api_name: str, error: Exception) -> str:
    if api_name == "jack":
        return ("no JACK server running: start one (e.g. `jackd -d dummy`, or QjackCtl) "
                "or choose another --midi-api")
    if api_name == "alsa":
        return (f"no ALSA sequencer ({ALSA_SEQUENCER}): load the snd-seq kernel module, "
                "or use JACK (--midi-api jack with a running JACK server)")
    return f"MIDI API {api_name} cannot be opened ({error})"


def jack_server_running() -> bool:
    """Whether a JACK client can connect to a server now (never starts one)."""
    return jack_lib.server_running()


def list_ports(api: str | MidiApi) -> tuple[list[str], list[str]]:
    """(inputs, outputs): the ports live-jazz could listen to and play into."""
    resolved = resolve_api(api) if isinstance(api, str) else api
    if resolved.rtmidi_api == rtmidi.API_UNIX_JACK:  # no client in the server's cycle for it
        listed = jack_lib.list_midi_ports("live-jazz list")
        if listed is None:
            raise NoBackendError(_advice(resolved.name, rtmidi.RtMidiError("no server")))
        return listed
    with quiet_stderr():
        listener = rtmidi.MidiIn(resolved.rtmidi_api, "live-jazz list")
        player = rtmidi.MidiOut(resolved.rtmidi_api, "live-jazz list")
    try:
        return listener.get_ports(), player.get_ports()
    finally:
        listener.delete()
        player.delete()


def find_port(names: Sequence[str], wanted: str, kind: str, own_client: str) -> int:
    """Index of the port named ``wanted`` exactly, else of the one port containing it
    (case-insensitive). Ports of live-jazz's own clients are never picked. ``kind`` ("output"
    or "input") words the error, which lists what there is."""
    candidates = {i: n for i, n in enumerate(names) if not _is_own(n, own_client)}
    for index, name in candidates.items():
        if name == wanted:
            return index
    matches = [i for i, n in candidates.items() if wanted.lower() in n.lower()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(candidates[i] for i in matches)
        raise UnknownPortError(f"MIDI {kind} port {wanted!r} is ambiguous: {listed}")
    listed = "; ".join(candidates.values()) or "none"
    raise UnknownPortError(f"no MIDI {kind} port {wanted!r} (available: {listed})")


def _is_own(port_name: str, own_client: str) -> bool:
    """Whether a listed port belongs to one of our clients (``live-jazz``, ``live-jazz in``)."""
    client = port_name.split(":", 1)[0]
    return client == own_client or client.startswith(f"{own_client} ")
