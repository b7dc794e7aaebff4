"""The microphone's line: the input level (dBFS) and the pitch the tracker hears now."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from live_jazz.theory.pitch import note_name

FLOOR_DB = -60.0
"""The meter's bottom (dBFS): quieter is an empty bar."""
CELLS = 10
"""The bar's width in cells (6 dB a cell)."""
EIGHTHS = " ▏▎▍▌▋▊▉█"
"""A cell filled by eighths (0 to 8)."""
ZONES = ((-18.0, "green"), (-6.0, "yellow"), (0.0, "red"))
"""A cell's colour: up to -18 dBFS green, to -6 yellow, above red (near clipping)."""


class HearingMeter(Widget):
    """One line: ``mic ▕█████▍    ▏ -27 dBFS  A4``; the pitch is ``-`` when nothing is heard
    (silent, under the gate, or no clear pitch)."""

    DEFAULT_CSS = """
    HearingMeter { height: 1; width: 32; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.level_db: float | None = None
        """None until the listener is there."""
        self.pitch: int | None = None
        self.source_open = False

    def show(self, level_db: float, pitch: int | None, source_open: bool) -> None:
        """The listener's latest (``pitch`` a MIDI note or None)."""
        if (level_db, pitch, source_open) != (self.level_db, self.pitch, self.source_open):
            self.level_db, self.pitch, self.source_open = level_db, pitch, source_open
            self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" mic ", style="bold")
        if self.level_db is None:
            text.append("…", style="dim")
            return text
        if not self.source_open:
            text.append("no input (retrying)", style="bold red")
            return text
        text.append("▕", style="dim")
        text.append_text(meter_cells(self.level_db))
        text.append("▏", style="dim")
        shown = "  -∞" if self.level_db <= -100 else f"{self.level_db:4.0f}"
        text.append(f"{shown} dBFS ")
        if self.pitch is None:
            text.append(" -", style="dim")
        else:
            text.append(f" {note_name(self.pitch)}", style="bold yellow")
        return text


def meter_cells(level_db: float) -> Text:
    """``CELLS`` cells filled up to ``level_db``, each coloured by the level it stands for."""
    filled = max(0.0, min(1.0, (level_db - FLOOR_DB) / -FLOOR_DB)) * CELLS
    text = Text()
    for cell in range(CELLS):
        eighths = round(max(0.0, min(1.0, filled - cell)) * 8)
        top = FLOOR_DB + (cell + 1) * -FLOOR_DB / CELLS
        colour = next(c for limit, c in ZONES if top <= limit)
        text.append(EIGHTHS[eighths], style=colour)
    return text
