"""Something of the model's inner state per step: entropy, top probability, |a| and |c|."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from live_jazz.engine.events import ModelStepped

BLOCKS = " ▁▂▃▄▅▆▇█"
HISTORY = 240
LABEL_WIDTH = 16


@dataclass(frozen=True)
class Trace:
    """One line of the plot."""

    label: str
    value: Callable[[ModelStepped], float]
    fixed_max: float | None
    """Top of the scale (None: the largest value shown)."""
    style: str
    fmt: str = "{:5.2f}"


TRACES = (
    Trace("entropy", lambda s: s.entropy, None, "magenta"),
    Trace("top p", lambda s: s.top_probability, 1.0, "green"),
    Trace("|a|", lambda s: s.a_norm, None, "cyan"),
    Trace("|c|", lambda s: s.c_norm, None, "blue"),
)


def sparkline(values: Sequence[float], width: int, top: float | None) -> str:
    """The last `width` values as block characters, 0 at the bottom, `top` (or the largest
    value) at the top."""
    shown = list(values)[-width:] if width > 0 else []
    if not shown:
        return ""
    high = top if top is not None else max(shown)
    if high <= 0:
        return BLOCKS[1] * len(shown)
    levels = len(BLOCKS) - 1
    return "".join(
        BLOCKS[max(1, min(levels, round(value / high * levels)))] for value in shown
    )


class ModelPlot(Widget):
    """A small live plot, one line per trace, newest on the right."""

    DEFAULT_CSS = """
    ModelPlot { height: 6; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.steps: deque[ModelStepped] = deque(maxlen=HISTORY)

    def add_steps(self, steps: Sequence[ModelStepped]) -> None:
        """New steps, oldest first."""
        self.steps.extend(steps)
        self.refresh()

    def clear(self) -> None:
        """Forget the history (after a reset of the model state)."""
        self.steps.clear()
        self.refresh()

    def render(self) -> Text:
        width = max(self.size.width - LABEL_WIDTH, 1)
        text = Text(no_wrap=True, overflow="crop")
        latest = self.steps[-1] if self.steps else None
        for index, trace in enumerate(TRACES):
            if index:
                text.append("\n")
            values = [trace.value(step) for step in self.steps]
            number = trace.fmt.format(values[-1]) if values else "    –"
            text.append(f"{trace.label:<8}{number:>7} ", style="bold")
            text.append(sparkline(values, width, trace.fixed_max), style=trace.style)
        text.append("\n")
        text.append("value   ", style="bold")
        text.append(latest.token if latest else "–", style="dim")
        text.append(f"  ({len(self.steps)} steps)" if latest else "", style="dim")
        return text
