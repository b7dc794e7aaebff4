"""A scrolling piano roll of the last bars: the human's notes and the improviser's in two colours,
bar lines and chord changes marked, the newest on the right.

It redraws on every UI frame while the transport runs, so it uses Textual's line API (segments
with styles made once) rather than a Rich ``Text`` that Textual would convert cell by cell: the
redraw holds the GIL a third as long, which is time the engine's timing thread gets back.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from live_jazz.engine.events import NotePlayed
from live_jazz.theory import note_name

BARS_SHOWN = 4
LABEL_WIDTH = 4
"""Columns on the left for the pitch labels."""
MAX_NOTES = 1024
MAX_MARKS = 64
NOTE = "█"
PLAYER_STYLES = {"improviser": "bold cyan", "human": "bold yellow"}
"""The comping is not drawn: the chord symbols above say what it plays."""
BOTH_STYLE = "bold white"
"""A cell where the human and the improviser both sound."""


Row = list[tuple[str, str]]
"""One line of the roll: runs of (text, style)."""


@cache
def rich_style(style: str) -> Style:
    """A style by its definition, parsed once."""
    return Style.parse(style) if style else Style()


@dataclass(frozen=True)
class ChordMark:
    """A chord change as the engine reported it, in beats from the start of playing."""

    beat: float
    symbol: str


def column_of(beat: float, start: float, span: float, columns: int) -> int:
    """The column (0-based) of `beat` in a window of `span` beats from `start`."""
    return int((beat - start) / span * columns)


def row_of(pitch: int, low: int, high: int, rows: int) -> int:
    """The row (0 at the top) of `pitch` when `low`..`high` fill `rows` rows."""
    semitones = high - low + 1
    return rows - 1 - min(rows - 1, (pitch - low) * rows // semitones)


def pitch_range(pitches: Iterable[int], rows: int) -> tuple[int, int]:
    """The lowest and highest pitch to show: the notes' range, widened around its middle to at
    least one semitone a row (so that a few notes do not fill the whole height)."""
    shown = list(pitches) or [60]
    low, high = min(shown), max(shown)
    missing = rows - (high - low + 1)
    if missing > 0:
        low -= missing // 2
        high += missing - missing // 2
    return low, high


class PianoRoll(Widget):
    """The last `BARS_SHOWN` bars up to `now`."""

    DEFAULT_CSS = """
    PianoRoll { height: 1fr; min-height: 6; }
    """

    def __init__(self, beats_per_bar: int = 4, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.beats_per_bar = beats_per_bar
        self.now = 0.0
        """The newest beat shown (from the start of playing)."""
        self.notes: deque[NotePlayed] = deque(maxlen=MAX_NOTES)
        self.marks: deque[ChordMark] = deque(maxlen=MAX_MARKS)
        self.frames = 0
        """Times drawn (``bench timing --tui`` counts them)."""
        self._strips: list[Strip] | None = None
        """The lines drawn, until something changes."""

    def refresh(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 (Widget.refresh's own)
        self._strips = None
        return super().refresh(*args, **kwargs)

    def add_notes(self, notes: Iterable[NotePlayed]) -> None:
        """New notes (any player)."""
        self.notes.extend(notes)
        self.refresh()

    def mark_chord(self, beat: float, symbol: str) -> None:
        """The chord `symbol` sounds from `beat` (a repeat of the last one is not marked)."""
        if not self.marks or self.marks[-1].symbol != symbol:
            self.marks.append(ChordMark(beat, symbol))
            self.refresh()

    def show_until(self, now: float, beats_per_bar: int) -> None:
        """Show the bars up to beat `now`."""
        if (now, beats_per_bar) != (self.now, self.beats_per_bar):
            self.now, self.beats_per_bar = now, beats_per_bar
            self.refresh()

    def restart_marks(self) -> None:
        """Forget the chord marks and the position (a new start: beats count from 0 again)."""
        self.marks.clear()
        self.now = 0.0
        self.refresh()

    def restart_notes(self) -> None:
        """Forget the notes (a new start; see ``NotesPlayed.restart`` for why apart)."""
        self.notes.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if self._strips is None or len(self._strips) != height:
            self.frames += 1
            rows = draw_roll(self.notes, self.marks, self.now, self.beats_per_bar, width, height)
            self._strips = [
                Strip([Segment(text, rich_style(style)) for text, style in row], width)
                for row in rows
            ]
        return self._strips[y] if 0 <= y < len(self._strips) else Strip.blank(width)


def draw_roll(
    notes: Iterable[NotePlayed], marks: Iterable[ChordMark], now: float, beats_per_bar: int,
    width: int, height: int,
) -> list[Row]:
    """The roll, `width` x `height` cells: a line of chord symbols, then one row per pitch band
    with the labels of the highest and lowest on the left."""
    columns = max(width - LABEL_WIDTH, 1)
    rows = max(height - 1, 1)
    span = float(BARS_SHOWN * beats_per_bar)
    start = max(now - span, 0.0)
    window = [n for n in notes if n.beat + n.duration > start and n.beat < start + span]
    low, high = pitch_range((n.pitch for n in window if n.player != "comping"), rows)

    grid = [[" "] * columns for _ in range(rows)]
    styles: list[list[str]] = [[""] * columns for _ in range(rows)]
    header = [" "] * columns
    header_styles = ["dim"] * columns
    first_bar = int(start // beats_per_bar)
    for bar in range(first_bar, first_bar + BARS_SHOWN + 1):
        column = column_of(bar * beats_per_bar, start, span, columns)
        if 0 <= column < columns:
            for row in range(rows):
                grid[row][column], styles[row][column] = "│", "grey35"
    for mark in marks:
        column = column_of(mark.beat, start, span, columns)
        if 0 <= column < columns:
            for row in range(rows):
                if grid[row][column] == " ":
                    grid[row][column], styles[row][column] = "┊", "grey50"
            _write(header, header_styles, column, mark.symbol, "bold magenta")
    for bar in range(first_bar, first_bar + BARS_SHOWN + 1):
        column = column_of(bar * beats_per_bar, start, span, columns)
        if 0 <= column < columns:
            _write(header, header_styles, column, str(bar + 1), "dim")
    for note in window:
        if note.player == "comping" or not low <= note.pitch <= high:
            continue
        row = row_of(note.pitch, low, high, rows)
        first = min(max(column_of(note.beat, start, span, columns), 0), columns - 1)
        last = min(column_of(note.beat + note.duration, start, span, columns), columns - 1)
        for column in range(first, max(first, last) + 1):
            style = PLAYER_STYLES[note.player]
            if grid[row][column] == NOTE and styles[row][column] != style:
                style = BOTH_STYLE
            grid[row][column], styles[row][column] = NOTE, style

    lines = [[(" " * LABEL_WIDTH, ""), *_runs(header, header_styles)]]
    for row in range(rows):
        label = ""
        if row == 0:
            label = note_name(high)
        elif row == rows - 1:
            label = note_name(low)
        lines.append([(f"{label:<{LABEL_WIDTH}}"[:LABEL_WIDTH], "dim"),
                      *_runs(grid[row], styles[row])])
    return lines


def _write(cells: list[str], styles: list[str], column: int, word: str, style: str) -> None:
    """Write `word` into `cells` from `column`, over blanks only (the first label wins)."""
    if any(cell != " " for cell in cells[column : column + len(word) + 1]):
        return
    for offset, char in enumerate(word[: len(cells) - column]):
        cells[column + offset], styles[column + offset] = char, style


def _runs(cells: list[str], styles: list[str]) -> Row:
    """A row as runs of equally styled cells."""
    runs: Row = []
    run_start = 0
    for index in range(1, len(cells) + 1):
        if index == len(cells) or styles[index] != styles[run_start]:
            runs.append(("".join(cells[run_start:index]), styles[run_start]))
            run_start = index
    return runs
