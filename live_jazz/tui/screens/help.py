"""The help screen: every control and its keys (made from ``bindings.CONTROLS``)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from live_jazz.tui.bindings import CONTROLS


def controls_table() -> Text:
    """Keys and what they do, one line each. (Plain text rather than a Rich table: a table
    measures its narrowest, and the auto-sized box around it would squeeze it to nothing.)"""
    rows = [(control.key_display, control.help) for control in CONTROLS]
    rows.append(("ctrl+p", "Command palette: every control by name"))
    width = max(len(key) for key, _ in rows) + 2
    text = Text(no_wrap=True, overflow="ellipsis")
    for key, help_text in rows:
        text.append(key.ljust(width), style="bold cyan")
        text.append(help_text + "\n")
    text.rstrip()
    return text


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
            yield Static(controls_table(), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
