"""The progression: bars of chords, the current bar highlighted, the current and next chord."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from live_jazz.theory import Progression

BARS_PER_LINE = 4


def bar_text(chords: tuple) -> str:
    """A bar's chords as written on a lead sheet."""
    return " ".join(chord.symbol for chord in chords)


class ProgressionView(Widget):
    """The form as a lead sheet, four bars a line."""

    DEFAULT_CSS = """
    ProgressionView { height: auto; min-height: 4; }
    """

    def __init__(self, progression: Progression, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.progression = progression
        self.form_bar: int | None = None
        self.current = ""
        self.next = ""

    def show_progression(self, progression: Progression) -> None:
        """New chords."""
        self.progression = progression
        if self.form_bar is not None:
            self.form_bar %= progression.n_bars
        self.refresh(layout=True)

    def show_bar(self, form_bar: int | None, current: str = "", next_chord: str = "") -> None:
        """Highlight bar `form_bar` (0-based within the form; None: nothing playing)."""
        self.form_bar = None if form_bar is None else form_bar % self.progression.n_bars
        if form_bar is not None and not current:
            chords = self.progression.bar_chords(form_bar)
            current = chords[0].symbol
            following = self.progression.bar_chords(form_bar + 1)
            next_chord = next((c.symbol for c in (*chords, *following) if c.symbol != current),
                              current)
        self.current, self.next = current, next_chord
        self.refresh()

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        lines = -(-self.progression.n_bars // BARS_PER_LINE)
        return lines + 1

    def render(self) -> Text:
        progression = self.progression
        width = max(self.size.width, 8 * BARS_PER_LINE + 1)
        cell = (width - 1) // BARS_PER_LINE - 1
        text = Text(no_wrap=True, overflow="crop")
        for index, chords in enumerate(progression.bars):
            if index % BARS_PER_LINE == 0:
                if index:
                    text.append("│\n", style="dim")
            text.append("│", style="dim")
            label = f" {bar_text(chords)}"[:cell].ljust(cell)
            style = "bold black on yellow" if index == self.form_bar else ""
            text.append(label, style=style)
        text.append("│\n", style="dim")
        if self.form_bar is None:
            text.append(" stopped · ", style="dim")
            text.append(f"{progression.n_bars} bars", style="dim")
        else:
            text.append(f" bar {self.form_bar + 1}/{progression.n_bars}  now ")
            text.append(self.current, style="bold yellow")
            text.append("  next ")
            text.append(self.next, style="bold")
        return text
