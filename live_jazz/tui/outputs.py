"""What the TUI needs to offer outputs (the port screen, the "nothing listens" warning); the CLI
gives it the MIDI system's (``cli/outputs.py``), tests a fake list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from live_jazz.midi_io.ports import OutputPort, PortChange


class Outputs(Protocol):
    """The outputs there are, live."""

    def choices(self) -> list[str]:
        """What can be chosen now, in the order shown."""

    def open(self, choice: str, on_change: Callable[[PortChange], None]) -> OutputPort:
        """Open ``choice`` (blocking: run it off the UI thread); raises OSError with one line.
        ``on_change`` hears the port vanish and come back (the engine's ``port_changed``)."""

    def choice_of(self, port_name: str | None) -> str | None:
        """The choice that plays into the output named ``port_name`` (the virtual port's name is
        the client's, the voice's says which SoundFont): how the list marks the current one."""

    def listeners(self, port_name: str) -> int | None:
        """How many listen to the output named ``port_name``; None if unknown."""
