"""Whether anything listens to live-jazz's virtual output port (the TUI says so when nothing
does, before the first bar goes unheard).

rtmidi does not tell; the MIDI systems do: ALSA lists each port's subscribers in
``/proc/asound/seq/clients``, JACK answers ``jack_port_connected`` (through a client that is
never activated, ``jack_lib``). Elsewhere (CoreMIDI, Windows) it is unknown:
None, and nothing is said.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from live_jazz.midi_io.jack_lib import PassiveClient

ALSA_CLIENTS = Path("/proc/asound/seq/clients")
CLOSE_SECONDS = 1.0
"""Longest wait for the JACK watch client to close."""


def alsa_listeners(text: str, client: str, port: str) -> int | None:
    """Subscribers of ALSA port ``client``:``port`` in the text of ``/proc/asound/seq/clients``
    (None if the port is not there)."""
    found = None
    in_client = in_port = False
    for line in text.splitlines():
        client_match = re.match(r'Client\s+\d+\s*:\s*"(.*)"', line)
        if client_match:
            in_client, in_port = client_match.group(1) == client, False
            continue
        port_match = re.match(r'\s+Port\s+\d+\s*:\s*"(.*)"', line)
        if port_match:
            in_port = in_client and port_match.group(1) == port
            if in_port:
                found = found or 0
            continue
        if in_port and line.strip().startswith("Connecting To:"):
            found = (found or 0) + len(line.split(":", 1)[1].split(","))
    return found


class JackListeners:
    """A JACK client kept open to ask how many connections a port has (never activated: it
    costs the server's cycle nothing)."""

    def __init__(self, client_name: str = "live-jazz") -> None:
        # Not quiet: asked while the TUI draws on fd 2.
        self._client = PassiveClient.open(f"{client_name} listeners", quiet=False)
        if self._client is None:
            raise OSError("no JACK server")

    def count(self, port: str) -> int | None:
        """Connections of the JACK port named ``port`` (None if there is no such port)."""
        if self._client is None or self._client.handle is None:
            return None
        handle = self._client.jack.jack_port_by_name(self._client.handle, port.encode())
        return None if not handle else int(self._client.jack.jack_port_connected(handle))

    def close(self) -> None:
        """Close the client, waiting at most CLOSE_SECONDS: libjack's close has been seen to
        block for ever in a process whose other JACK clients come and go (a test run), and a
        diagnostic client must never hold up quitting."""
        client, self._client = self._client, None
        if client is not None:
            closer = threading.Thread(target=client.close, args=(False,),
                                      name="live-jazz close watch client", daemon=True)
            closer.start()
            closer.join(CLOSE_SECONDS)


class ListenerProbe:
    """How many listen to a virtual output port of ``client``, on ALSA or JACK; None where the
    system does not say."""

    def __init__(self, api: str, client: str) -> None:
        self.api = api.lower()
        self.client = client
        self._jack: JackListeners | None = None

    def count(self) -> int | None:
        if self.api == "alsa":
            try:
                text = ALSA_CLIENTS.read_text(errors="replace")
            except OSError:
                return None
            return alsa_listeners(text, self.client, self.client)
        if self.api == "jack":
            try:
                if self._jack is None:
                    self._jack = JackListeners(self.client)
                return self._jack.count(f"{self.client}:{self.client}")
            except (OSError, AttributeError):
                return None
        return None

    def close(self) -> None:
        if self._jack is not None:
            self._jack.close()
            self._jack = None
