"""The log pane: late events, port changes, warnings, and what the controls did."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import RichLog

from live_jazz.engine.events import LogLine

STYLES = {"info": "", "warning": "yellow", "error": "bold red"}
MAX_LINES = 500


class LogPane(RichLog):
    """A bounded, non-focusable log (the arrow keys belong to tempo and temperature)."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        # min_width=1: RichLog lays a line out at least 78 columns wide (its default), and a
        # narrower pane then cuts it instead of wrapping it.
        super().__init__(id=id, max_lines=MAX_LINES, wrap=True, min_width=1, markup=False,
                         highlight=False)

    def add(self, line: LogLine) -> None:
        """Append one line."""
        prefix = {"warning": "warning: ", "error": "error: "}.get(line.level, "")
        self.write(Text(prefix + line.text, style=STYLES.get(line.level, "")))

    def add_dropped(self, count: int) -> None:
        """Say that a flood of lines was cut."""
        self.write(Text(f"… {count} log lines dropped", style="dim"))
