"""The help screen: every control and its keys (made from ``bindings.CONTROLS``)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from live_jazz.tui.bindings import CONTROLS


def controls_table() -> Table:
    """Keys and what they do."""
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for control in CONTROLS:
        table.add_row(control.key_display, control.help)
    table.add_row("ctrl+p", "Command palette: every control by name")
    return table


class HelpScreen(ModalScreen[None]):
    """Every key; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "close", "close"),
        Binding("q", "close", "close", show=False),
        Binding("question_mark", "close", "close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static("Keys", id="help-title")
            yield Static(controls_table())

    def action_close(self) -> None:
        self.dismiss(None)
