"""What a JACK input needs beyond rtmidi: an end for a SysEx that never ends, a bounded read of
rtmidi's queue, and a count of what a flood or a broken message cost, reported as log lines.

rtmidi's JACK input (RtMidi 5) treats every event after a SysEx start without its end byte as
more of that SysEx, until an event ending in ``F7`` arrives: with SysEx ignored it throws them
all away, and the input is deaf. Per MIDI any status byte other than real-time ends a SysEx. So
the input keeps SysEx (rtmidi then glues the events behind an open one into one message, which
``MidiDecoder`` splits again at the first status byte), and a small client of ours (``SysexEnder``,
there only while someone plays into the input) sends a lone ``F7`` into the input whenever a read
finds nothing: an open SysEx is closed within a read or two, and the events behind it come out
whole, late by at most that long.

rtmidi prints "message queue limit reached" on stderr (the TUI's screen) from JACK's own thread
for each event its queue cannot take: the queue is sized for seconds of any flood
(``RTMIDI_QUEUE_SIZE``), each read decodes at most ``READ_LIMIT`` events and counts the rest as
dropped, and a queue found full is counted too.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import rtmidi

from live_jazz.midi_io import port_graph
from live_jazz.midi_io.jack_lib import rtmidi_client
from live_jazz.midi_io.jack_server import PortConnections
from live_jazz.midi_io.quiet import quiet_stderr

log = logging.getLogger(__name__)

SYSEX_END = 0xF7
RTMIDI_QUEUE_SIZE = 1 << 15
"""Events rtmidi's JACK input can hold between two reads (32768 x 32 bytes: 1 MB)."""
READ_LIMIT = 512
"""Events decoded per read (about 2 ms of the engine thread); beyond that a flood is dropped,
counted, so that the notes and clock keep their time."""
SYSEX_END_SECONDS = 0.02
"""At most this often, a read that found nothing sends a lone SysEx end into the input."""
REPORT_SECONDS = 1.0
"""Input trouble is reported at most this often (one line)."""


class SysexEnder:
    """Ends a SysEx that rtmidi thinks is still open: ``poke`` sends a lone ``F7`` into our
    JACK input port ``target`` from a client of ours (the echo is dropped: ``is_echo``).

    The client exists only while someone else is connected to the input (an input nobody plays
    into cannot be held up), so that an idle input adds no client to the server's cycle: each
    is one more thread JACK must wake in time every period. It is opened and closed by a short
    thread of its own: the caller (the engine thread) never waits for JACK.
    """

    def __init__(self, api: int, client_name: str, target: str) -> None:
        self._api = api
        self._name = f"{client_name} end"
        self._target = target
        self._connections = PortConnections(f"{client_name} look")
        self._rt: rtmidi.MidiOut | None = None
        self._lock = threading.Lock()
        """Held to send, and to swap ``_rt`` (never while JACK is asked anything)."""
        self._worker: threading.Thread | None = None
        self._last = -math.inf

    def poke(self, now: float) -> None:
        """Send a SysEx end if someone plays into the input (at most every
        ``SYSEX_END_SECONDS``); open or close our client as that changes."""
        if now - self._last < SYSEX_END_SECONDS:
            return
        self._last = now
        with self._lock:
            rt = self._rt
            if rt is not None:
                rt.send_message([SYSEX_END])
        others = self._connections.others(self._target, self._name)
        played_into = others is None or others > 0  # unknown: better a client than deafness
        if played_into != (rt is not None):
            self._change(open_it=played_into)

    def reconnect(self) -> None:
        """The input's port was re-opened (a new port): our client is joined again when next
        needed."""
        self._change(open_it=False)

    def _change(self, open_it: bool) -> None:
        if self._worker is not None and self._worker.is_alive():
            return
        target = self._open if open_it else self._close_client
        self._worker = threading.Thread(target=target, name="live-jazz sysex end", daemon=True)
        self._worker.start()

    def _open(self) -> None:
        try:
            with quiet_stderr():
                rt = rtmidi_client(rtmidi.MidiOut, self._api, self._name)
                names = rt.get_ports()
                if self._target in names:
                    rt.open_port(names.index(self._target), "sysex end")
                    port_graph.changed()
        except rtmidi.RtMidiError as error:
            log.debug("no client to end a SysEx: %s", error)
            return
        if not rt.is_port_open():
            rt.delete()
            return
        with self._lock:
            self._rt = rt

    def _close_client(self) -> None:
        with self._lock:
            rt, self._rt = self._rt, None
        if rt is not None:
            port_graph.close_port(rt)
            rt.delete()

    @staticmethod
    def is_echo(data: list[int]) -> bool:
        """A lone SysEx end: ours (anyone else's means nothing either)."""
        return data == [SYSEX_END]

    def close(self) -> None:
        if self._worker is not None:
            self._worker.join()
        self._close_client()
        self._connections.close()


@dataclass
class InputTrouble:
    """What the input lost, reported once per ``REPORT_SECONDS`` at most as one line."""

    flooded: int = 0
    """Events read but not decoded (beyond ``READ_LIMIT`` a read)."""
    overflows: int = 0
    """Reads that found rtmidi's queue full (it dropped an unknown number)."""
    queue_dropped: int = 0
    """Messages our own queue had no room for."""
    sysex_cut: int = 0
    """SysEx messages ended by another status byte (their bytes dropped, what followed kept)."""
    _reported: tuple[int, int, int, int] = (0, 0, 0, 0)
    _last_report: float = -math.inf

    def report(self, now: float) -> str | None:
        """A line for what happened since the last report, if anything and if it is time."""
        counts = (self.flooded, self.overflows, self.queue_dropped, self.sysex_cut)
        if counts == self._reported or now - self._last_report < REPORT_SECONDS:
            return None
        flooded, overflows, dropped, cut = (a - b for a, b in zip(counts, self._reported,
                                                                   strict=True))
        self._reported, self._last_report = counts, now
        parts = []
        if flooded or dropped:
            parts.append(f"flooded: {flooded + dropped} message(s) dropped")
        if overflows:
            parts.append(f"rtmidi's queue ({RTMIDI_QUEUE_SIZE}) was full {overflows} time(s), "
                         "more were lost")
        if cut:
            parts.append(f"{cut} SysEx without its end byte cut short by the next message "
                         "(the messages behind it kept)")
        return "MIDI input " + "; ".join(parts)


class ArrivalClock:
    """Places events read late from rtmidi's queue on our clock, at the times they arrived.

    rtmidi gives each event the time since the one before (``delta``, on JACK's clock, which is
    the same monotonic clock as ours); summed, they place every event up to one constant offset.
    An event cannot have arrived after the read that found it, so each read bounds the offset
    from above, and the smallest bound so far is the estimate: exact as soon as one read follows
    its last event closely.
    """

    def __init__(self) -> None:
        self._arrived = 0.0
        """Seconds from the first event to the last one placed."""
        self._offset = math.inf
        """Our clock at the first event (the smallest upper bound so far)."""

    def place(self, deltas: Sequence[float], read_at: float) -> list[float]:
        """The times (our clock) of the events with ``deltas``, found by a read at ``read_at``."""
        arrived = list(itertools.accumulate(deltas, initial=self._arrived))[1:]
        if not arrived:
            return []
        self._arrived = arrived[-1]
        self._offset = min(self._offset, read_at - self._arrived)
        return [at + self._offset for at in arrived]


class JackQueueReader:
    """Reads rtmidi's queue of a JACK input (``rt``, a ``MidiIn`` whose SysEx is not ignored):
    at most ``READ_LIMIT`` events a read, placed on our clock (``ArrivalClock``), a SysEx end
    sent whenever a read finds nothing (``SysexEnder``, joined to ``port``), losses counted in
    ``trouble``."""

    def __init__(self, rt: rtmidi.MidiIn, api: int, client_name: str, port: str,
                 trouble: InputTrouble) -> None:
        self._rt = rt
        self._trouble = trouble
        self._arrivals = ArrivalClock()
        self._carried = 0.0
        """Time deltas of events dropped as a flood, owed to the next event kept."""
        self._ender = SysexEnder(api, client_name, port)

    def read(self, now: float) -> list[tuple[list[int], float]]:
        """(bytes, arrival time on our clock) of what arrived since the last read."""
        events = self._take_events()
        times = self._arrivals.place([delta for _, delta in events], now)
        kept = [(data, at) for (data, _), at in zip(events, times, strict=True)
                if not SysexEnder.is_echo(data)]
        if not kept:
            self._ender.poke(now)  # nothing came: maybe an open SysEx holds it up
        return kept

    def _take_events(self) -> list[tuple[list[int], float]]:
        """rtmidi's queue, emptied: at most ``READ_LIMIT`` events kept, the rest counted."""
        events: list[tuple[list[int], float]] = []
        taken = 0
        while (event := self._rt.get_message()) is not None:
            taken += 1
            if len(events) < READ_LIMIT:
                events.append((event[0], event[1] + self._carried))
                self._carried = 0.0
            else:
                self._trouble.flooded += 1
                self._carried += event[1]
        if taken >= RTMIDI_QUEUE_SIZE - 1:
            self._trouble.overflows += 1
        return events

    def reconnect(self) -> None:
        """The input's port was re-opened (a new port): join it again."""
        self._ender.reconnect()

    def close(self) -> None:
        self._ender.close()
