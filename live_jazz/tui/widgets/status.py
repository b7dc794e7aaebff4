"""Ports and MIDI API, sync source, recording file."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from live_jazz.engine.events import PortsChanged


class StatusBar(Widget):
    """One line: where the music goes and comes from, and where it is recorded."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ports: PortsChanged | None = None
        self.message = "loading the model…"
        self.unheard = False
        """Nothing listens to the output (said first, in the line's most visible place)."""

    def show_ports(self, ports: PortsChanged) -> None:
        """The engine's ports."""
        self.ports = ports
        self.refresh()

    def show_unheard(self, unheard: bool) -> None:
        """Whether nothing listens to the output."""
        if unheard != self.unheard:
            self.unheard = unheard
            self.refresh()

    def show_message(self, message: str) -> None:
        """A state with no ports yet (loading, failed)."""
        self.message = message
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        ports = self.ports
        if ports is None:
            text.append(f" {self.message}", style="italic")
            return text
        if self.unheard:
            text.append(" nothing listens: o for the built-in voice or a port ",
                        style="bold black on yellow")
        text.append(" out ")
        if ports.out_port is None:
            text.append("port lost", style="bold red")
        else:
            text.append(ports.out_port, style="bold")
        text.append(" · in ")
        text.append(ports.in_port or "none", style="bold" if ports.in_port else "dim")
        text.append(f" · {ports.midi_api} · sync {ports.sync} · rec ")
        text.append(ports.recording or "off", style="bold" if ports.recording else "dim")
        return text
