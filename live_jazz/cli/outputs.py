"""The outputs the TUI offers (its port screen, key ``o``): the built-in voice, live-jazz's
own virtual port, and the MIDI system's output ports, listed live; opening the one chosen; and
whether anyone listens to the virtual port."""

from __future__ import annotations

from collections.abc import Callable

from live_jazz.midi_io.listeners import ListenerProbe
from live_jazz.midi_io.ports import OutputPort, PortChange, PortError
from live_jazz.synth.port import SynthOptions

VOICE = "built-in voice"
"""The choice that plays through the built-in SoundFont voice."""
VIRTUAL = "virtual port"
"""The choice that opens live-jazz's own virtual output port (others connect to it)."""


class SystemOutputs:
    """The outputs of one MIDI system, for the TUI."""

    def __init__(self, midi_api: str, client_name: str, synth: SynthOptions,
                 channels: tuple[int, int], now: Callable[[], float]) -> None:
        self.midi_api = midi_api
        self.client_name = client_name
        self.synth = synth
        self.channels = channels
        self.now = now
        self._probe: ListenerProbe | None = None

    def choices(self) -> list[str]:
        """The voice, the virtual port, then the system's output ports (not live-jazz's own)."""
        from live_jazz.midi_io.backends import _is_own, list_ports

        try:
            _, outputs = list_ports(self.midi_api)
        except PortError:
            outputs = []
        return [VOICE, VIRTUAL, *(n for n in outputs if not _is_own(n, self.client_name))]

    def open(self, choice: str, on_change: Callable[[PortChange], None]) -> OutputPort:
        """Open ``choice`` (one of ``choices()``); raises OSError with one line. ``on_change``
        hears the port vanish and come back."""
        if choice == VOICE:
            from live_jazz.synth.port import open_synth_port

            return open_synth_port(self.synth, self.synth.programs(*self.channels), self.now)
        from live_jazz.midi_io.rtmidi_ports import open_output

        return open_output(self.midi_api, None if choice == VIRTUAL else choice,
                           self.client_name, on_change)

    def choice_of(self, port_name: str | None) -> str | None:
        """The choice that plays into ``port_name``: the virtual port is named as the client,
        the voice's name starts with "built-in voice"."""
        if port_name is None:
            return None
        if port_name == self.client_name:
            return VIRTUAL
        if port_name.startswith(VOICE):
            return VOICE
        return port_name

    def listeners(self, port_name: str) -> int | None:
        """How many listen to the output ``port_name`` if it is live-jazz's virtual port (None:
        unknown, or not the virtual port: a port the user chose is listened to)."""
        if port_name != self.client_name:
            return None
        from live_jazz.midi_io.backends import resolve_api

        if self._probe is None:
            try:
                self._probe = ListenerProbe(resolve_api(self.midi_api).name, self.client_name)
            except PortError:
                return None
        return self._probe.count()
