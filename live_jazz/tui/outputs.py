"""What the TUI needs to offer outputs (the port screen, the "nothing listens" warning); the CLI
gives it the MIDI system's (``cli/outputs.py``), tests a fake list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from live_jazz.midi_io.ports import OutputPort


class Outputs(Protocol):
    """The outputs there are, live."""

    def choices(self) -> list[str]:
        """What can be chosen now, in the order shown."""

    def open(self, choice: str, on_change: Callable[[str, str, bool], None]) -> OutputPort:
        """Open ``choice`` (blocking: run it off the UI thread); raises OSError with one line.
        ``on_change(kind, text, connected)`` hears a port vanish and come back."""

    def listeners(self, port_name: str) -> int | None:
        """How many listen to the output named ``port_name``; None if unknown."""
