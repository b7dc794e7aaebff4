"""Textual's terminal driver drawing on a file descriptor of its own (POSIX)."""

from __future__ import annotations

import os
from typing import Any

from textual.drivers.linux_driver import LinuxDriver


class OwnTerminalDriver(LinuxDriver):
    """Textual's Linux driver, writing the screen to a duplicate of file descriptor 2 rather
    than fd 2 itself. Opening MIDI and audio clients (in the engine's loader thread, while the
    screen draws) points fd 2 at a sink for a moment to catch C libraries' complaints
    (``midi_io.quiet.quiet_stderr``); a frame Textual wrote meanwhile went into the sink. When
    that frame was the first full one, the screen stayed half drawn (no progression, no roll)
    until something redrew it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stderr = self._file
        self._file = open(  # noqa: SIM115 (closed in close(), after the writer thread)
            os.dup(stderr.fileno()), "w", encoding=stderr.encoding, errors=stderr.errors,
        )

    def close(self) -> None:
        try:
            super().close()  # the writer thread ends, its last frame flushed
        finally:
            self._file.close()
