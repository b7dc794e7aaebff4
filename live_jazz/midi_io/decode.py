"""Bytes from a MIDI backend -> ``mido`` messages, tolerant of whatever arrives.

A backend's callback hands over raw bytes: usually one whole message, but a wire (or a badly
behaved client) can also send running status (data bytes that reuse the last channel status),
SysEx, real-time bytes in the middle of other messages, or plain garbage. mido's own parser
drops running-status data, so this small decoder keeps the running status; everything it
cannot make sense of is counted and skipped. It never raises.
"""

from __future__ import annotations

from collections.abc import Iterable

import mido

SYSEX_START = 0xF0
SYSEX_END = 0xF7
MAX_SYSEX_BYTES = 1024
"""Longer SysEx dumps are dropped (nothing here uses them; they only cost memory)."""

_DATA_BYTES = {
    0x80: 2, 0x90: 2, 0xA0: 2, 0xB0: 2, 0xC0: 1, 0xD0: 1, 0xE0: 2,  # channel voice
    0xF1: 1, 0xF2: 2, 0xF3: 1, 0xF6: 0,  # system common
}
"""Data bytes after each status (channel statuses by their high nibble)."""
_REAL_TIME = {0xF8, 0xFA, 0xFB, 0xFC, 0xFE, 0xFF}
"""Defined one-byte real-time statuses; they may appear anywhere, even inside a message."""


class MidiDecoder:
    """Feeds on bytes, returns whole messages; keeps running status across calls.

    ``keep_sysex`` False drops SysEx (the default: nothing downstream wants it).
    ``garbage`` counts the bytes that were skipped.
    """

    def __init__(self, keep_sysex: bool = False) -> None:
        self.keep_sysex = keep_sysex
        self.garbage = 0
        """Bytes skipped: stray data, undefined statuses, broken or oversized SysEx."""
        self.sysex_cut = 0
        """SysEx messages ended by another status byte instead of their end byte."""
        self._running = 0
        """The last channel status, reused by running-status data bytes (0: none)."""
        self._pending: list[int] = []
        """The message being collected (status first)."""
        self._needed = 0
        self._sysex: list[int] | None = None

    def feed(self, data: Iterable[int]) -> list[mido.Message]:
        """Whole messages completed by ``data``, in order."""
        messages: list[mido.Message] = []
        for byte in data:
            if not isinstance(byte, int) or not 0 <= byte <= 0xFF:
                self.garbage += 1
            elif byte >= 0xF8:
                self._real_time(byte, messages)
            elif byte >= 0x80:
                self._status(byte, messages)
            else:
                self._data(byte, messages)
        return messages

    def _real_time(self, byte: int, messages: list[mido.Message]) -> None:
        if byte in _REAL_TIME:
            messages.append(mido.Message.from_bytes([byte]))
        else:
            self.garbage += 1

    def _status(self, byte: int, messages: list[mido.Message]) -> None:
        if self._sysex is not None:
            if byte == SYSEX_END:
                self._finish_sysex(messages)
                return
            # Per MIDI a status byte inside SysEx ends it without its end byte: drop it,
            # and the message that status begins is heard.
            self.garbage += len(self._sysex)
            self.sysex_cut += 1
            self._sysex = None
        self._drop_pending()
        if byte == SYSEX_START:
            self._running = 0
            self._sysex = [byte]
            return
        kind = byte & 0xF0 if byte < 0xF0 else byte
        needed = _DATA_BYTES.get(kind)
        if needed is None:  # undefined (0xF4, 0xF5) or a stray SysEx end
            self._running = 0
            self.garbage += 1
            return
        self._running = byte if byte < 0xF0 else 0
        self._pending = [byte]
        self._needed = needed
        if needed == 0:
            self._complete(messages)

    def _data(self, byte: int, messages: list[mido.Message]) -> None:
        if self._sysex is not None:
            self._sysex.append(byte)
            if len(self._sysex) > MAX_SYSEX_BYTES:
                self.garbage += len(self._sysex)
                self._sysex = None
            return
        if not self._pending:
            if not self._running:
                self.garbage += 1
                return
            self._pending = [self._running]
            self._needed = _DATA_BYTES[self._running & 0xF0]
        self._pending.append(byte)
        if len(self._pending) == self._needed + 1:
            self._complete(messages)

    def _complete(self, messages: list[mido.Message]) -> None:
        try:
            messages.append(mido.Message.from_bytes(self._pending))
        except ValueError:
            self.garbage += len(self._pending)
        self._pending = []

    def _finish_sysex(self, messages: list[mido.Message]) -> None:
        assert self._sysex is not None
        if self.keep_sysex:
            messages.append(mido.Message("sysex", data=self._sysex[1:]))
        self._sysex = None

    def _drop_pending(self) -> None:
        """A new status arrived before the message in progress was whole."""
        if self._pending:
            self.garbage += len(self._pending)
            self._pending = []
