"""Real MIDI ports through python-rtmidi: a virtual port others connect to, or an existing port by
name; kept alive across the other side vanishing and coming back.

rtmidi is used directly rather than through mido's rtmidi backend because the instrument needs
three things that backend does not give: a client name together with a connection to an
existing port, re-making that connection when the port returns, and an input callback that is
robust to running status and garbage (``MidiDecoder``). Messages are still ``mido.Message``.

Ports of the system (``--out-port``/``--in-port``) are watched by a small thread
(``connection.Connection``): the send path only reads a flag, never lists ports.

Under JACK no Python runs in JACK's process cycle: rtmidi calls an input callback inside the
cycle, where it waits for the GIL while another thread (the engine, the TUI) holds it; the client
then overruns its period and reads its port buffer after the sender has rewritten it, and rtmidi
delivers events repeated, lost or as copies of their neighbours. So a JACK input lets rtmidi
queue what arrives, and whoever drains the ``InputQueue`` (the engine thread) reads rtmidi's
queue first: no thread of its own, whose wakes would take the GIL from everyone else (a reader
waking every 5 ms doubled the TUI's start-up). The events keep their arrival times however late
they are read (``ArrivalClock``): rtmidi stamps each with the JACK time since the one before,
which places them on our clock up to one constant offset, and that offset is the smallest seen
between a read and the last event it found.
"""

from __future__ import annotations

import logging

import mido
import rtmidi

from live_jazz.midi_io import port_graph
from live_jazz.midi_io.backends import (
    MidiApi,
    quiet_stderr,
    resolve_api,
)
from live_jazz.midi_io.connection import Connection
from live_jazz.midi_io.decode import MidiDecoder
from live_jazz.midi_io.jack_input import RTMIDI_QUEUE_SIZE, InputTrouble, JackQueueReader
from live_jazz.midi_io.jack_lib import rtmidi_client
from live_jazz.midi_io.ports import InputPort, InputQueue, OnPortChange, OutputPort, PortError

log = logging.getLogger(__name__)

def input_port_name(client_name: str) -> str:
    """The virtual input's port name, as its client's: ``<client_name> in`` (``live-jazz in``)."""
    return f"{client_name} in"

CHANNEL_TYPES = frozenset(
    {"note_on", "note_off", "polytouch", "control_change", "program_change", "aftertouch",
     "pitchwheel"}
)
"""What a player's input carries."""
TRANSPORT_TYPES = frozenset({"clock", "start", "continue", "stop", "songpos"})
"""What a clock master sends (kept only when following an external clock)."""


class RtMidiOutput(OutputPort):
    """An output port of a MIDI system: virtual (others connect to it) or connected to an
    existing port. While a connected port has vanished, sends are counted in ``errors`` and
    dropped; the note bookkeeping goes on, so note-offs still follow once it is back."""

    def __init__(
        self,
        api: MidiApi,
        target: str | None,
        client_name: str = "live-jazz",
        on_change: OnPortChange | None = None,
    ) -> None:
        super().__init__(client_name if target is None else target)
        self.api = api
        try:
            with quiet_stderr():
                self._rt = rtmidi_client(rtmidi.MidiOut, api.rtmidi_api, client_name)
        except rtmidi.RtMidiError as error:
            raise PortError(f"cannot open a {api.display_name} MIDI client: {error}") from None
        self.connection: Connection | None = None
        try:
            if target is None:
                _open_virtual(self._rt, client_name, "output")
            else:
                self.connection = Connection(
                    self._rt, target, "output", client_name, client_name, self._lock, on_change
                )
                self.name = self.connection.target
        except PortError:
            self._rt.delete()
            raise

    @property
    def connected(self) -> bool:
        """False while the port it was connected to is gone."""
        return self.connection is None or self.connection.connected

    def _send(self, message: mido.Message) -> None:
        if not self.connected:
            raise PortError(f"MIDI output port {self.name!r} is gone")
        self._rt.send_message(message.bytes())

    def _close(self) -> None:
        # Our own port goes first, the watcher's client after it (see port_graph). No wait for
        # what is queued: under JACK, close_port waits for a process cycle to take it (what
        # looked garbled at close was a receiver overrunning, see above).
        if self.connection is not None:
            self.connection.stop()
        port_graph.close_port(self._rt)
        if self.connection is not None:
            self.connection.close()
        self._rt.delete()


class RtMidiInput(InputPort):
    """An input port of a MIDI system: virtual (``live-jazz in``) or connected to an existing
    port. The rtmidi callback only decodes and queues; the engine drains ``queue`` (under JACK
    the drain reads rtmidi's queue first: no callback, see the module).

    Only channel messages are queued, plus the clock and transport when ``clock`` is set
    (``--sync external``); active sensing is dropped by rtmidi already, SysEx by rtmidi or (JACK,
    see ``jack_input``) by the decoder. A full queue drops and counts (``queue.dropped``);
    undecodable bytes are counted in ``garbage``; what was lost is reported to ``queue``.
    """

    def __init__(
        self,
        api: MidiApi,
        target: str | None,
        queue: InputQueue,
        client_name: str = "live-jazz",
        clock: bool = False,
        on_change: OnPortChange | None = None,
    ) -> None:
        port_name = input_port_name(client_name)
        super().__init__(port_name, queue)
        self.api = api
        self.errors = 0
        """Callback failures (logged once); the callback itself never raises."""
        self._accepted = CHANNEL_TYPES | TRANSPORT_TYPES if clock else CHANNEL_TYPES
        self._decoder = MidiDecoder()
        self._trouble = InputTrouble()
        self.polled = api.rtmidi_api == rtmidi.API_UNIX_JACK
        """Under JACK rtmidi's queue is read when ``queue`` is drained (no callback)."""
        try:
            with quiet_stderr():
                self._rt = rtmidi_client(rtmidi.MidiIn, api.rtmidi_api, port_name,
                                         queue_size_limit=RTMIDI_QUEUE_SIZE)
        except rtmidi.RtMidiError as error:
            raise PortError(f"cannot open a {api.display_name} MIDI client: {error}") from None
        # Under JACK SysEx is kept, so that rtmidi hands over what an unterminated one glued.
        self._rt.ignore_types(sysex=not self.polled, timing=not clock, active_sense=True)
        self._reader: JackQueueReader | None = None
        if not self.polled:
            self._rt.set_callback(self._on_event)
        self.connection: Connection | None = None
        try:
            if target is None:
                _open_virtual(self._rt, port_name, "input")
            else:
                self.connection = Connection(
                    self._rt, target, "input", client_name, port_name, self._lock, on_change,
                    reopened=self._reopened,
                )
                self.name = self.connection.target
            if self.polled:
                self._reader = JackQueueReader(self._rt, api.rtmidi_api, port_name,
                                               f"{port_name}:{port_name}",
                                               self._trouble)
        except PortError:
            self.closed = True  # its queue must not read it
            if self.connection is not None:
                self.connection.close()
            if not self.polled:
                self._rt.cancel_callback()
            self._rt.delete()
            raise

    def _reopened(self) -> None:
        """The connection re-opened rtmidi's port: a new port, to be joined again."""
        if self._reader is not None:
            self._reader.reconnect()
        else:  # python-rtmidi's close_port drops a callback: set it again
            self._rt.set_callback(self._on_event)

    @property
    def garbage(self) -> int:
        """Bytes that made no message (stray data, undefined statuses, broken SysEx)."""
        return self._decoder.garbage

    def _on_event(self, event: tuple[list[int], float], data: object = None,
                  time: float | None = None) -> None:
        # rtmidi's thread (under JACK the reader, with the event's ``time``): decode and queue,
        # nothing else. Whatever arrives, never raise here (from a C thread an exception would
        # only print and lose the event silently).
        try:
            now = self.queue.clock() if time is None else time
            for message in self._decoder.feed(event[0]):
                if message.type in self._accepted:
                    self.queue.put(message, now)
            if time is None:
                self._report(now)
        except Exception:  # the callback is the last line of defence
            self.errors += 1
            if self.errors == 1:
                log.exception("MIDI input %s: bad event %r", self.name, event)

    def _report(self, now: float) -> None:
        """Count what was lost and report it (at most once a second)."""
        trouble = self._trouble
        trouble.queue_dropped = self.queue.dropped
        trouble.sysex_cut = self._decoder.sysex_cut
        line = trouble.report(now)
        if line is not None:
            self.queue.report(line)

    def _poll(self) -> None:
        """Queue what rtmidi has queued since the last read (JACK; under the port's lock, as
        the watcher may be re-opening the port)."""
        now = self.queue.clock()
        assert self._reader is not None
        for data, at in self._reader.read(now):
            self._on_event((data, 0.0), time=at)
        self._report(now)

    def _close(self) -> None:
        # Our own port goes first, our helper clients after it (see port_graph).
        if self.connection is not None:
            self.connection.stop()
        if not self.polled:
            self._rt.cancel_callback()
        port_graph.close_port(self._rt)
        if self.connection is not None:
            self.connection.close()
        if self._reader is not None:
            self._reader.close()
        self._rt.delete()


def _open_virtual(rt: rtmidi.MidiIn | rtmidi.MidiOut, port_name: str, kind: str) -> None:
    try:
        with quiet_stderr():
            rt.open_virtual_port(port_name)
        port_graph.changed()
    except (rtmidi.RtMidiError, NotImplementedError) as error:
        raise PortError(
            f"cannot open a virtual MIDI {kind} port here ({error}); "
            f"name an existing port with --{'out' if kind == 'output' else 'in'}-port"
        ) from None


def open_output(
    api: str | MidiApi,
    name: str | None,
    client_name: str = "live-jazz",
    on_change: OnPortChange | None = None,
) -> RtMidiOutput:
    """An output port: ``name`` None opens a virtual port named ``client_name``; otherwise the
    existing port named exactly ``name``, or the one port whose name contains it.

    ``api`` is a ``--midi-api`` name or a resolved ``MidiApi`` (resolve once, open both sides).
    Raises ``NoBackendError`` / ``UnknownPortError`` (both ``PortError``) with a one-line
    message that says what to do or lists the ports. ``on_change`` hears when a connected port
    vanishes and when it is back (from the watcher thread).
    """
    resolved = resolve_api(api) if isinstance(api, str) else api
    return RtMidiOutput(resolved, name, client_name, on_change)


def open_input(
    api: str | MidiApi,
    name: str | None,
    queue: InputQueue,
    client_name: str = "live-jazz",
    clock: bool = False,
    on_change: OnPortChange | None = None,
) -> RtMidiInput:
    """An input port that fills ``queue``: ``name`` None opens a virtual port ``<client_name> in``
    (client ``<client_name> in``); otherwise an existing port by exact name or substring.
    ``clock`` also queues MIDI clock, Start, Stop, Continue and Song Position Pointer (for
    ``--sync external``). Errors as ``open_output``."""
    resolved = resolve_api(api) if isinstance(api, str) else api
    return RtMidiInput(resolved, name, queue, client_name, clock, on_change)
