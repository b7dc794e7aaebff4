"""Something of the model's inner state per step, in a musician's words: how unsure its choice
was (the entropy), how likely its likeliest value (top probability), how full its two memories
(the LSTM's hidden state ``a`` and cell state ``c``), and the value it played."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from rich.text import Text
from textual.widget import Widget

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.encoding.values import Role, Value
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
    Trace("unsure", lambda s: s.entropy, None, "magenta"),
    Trace("likeliest", lambda s: s.top_probability, 1.0, "green"),
    Trace("memory a", lambda s: s.a_norm, None, "cyan"),
    Trace("memory c", lambda s: s.c_norm, None, "blue"),
)
"""unsure: the entropy of the distribution drawn from (nats); likeliest: the probability of
its likeliest value; memory a / c: the size (norm) of the LSTM's hidden and cell state."""
ROLE_WORDS = {Role.CHORD: "chord tone", Role.SCALE: "scale tone", Role.APPROACH: "approach",
              Role.OUTSIDE: "outside"}


def describe_value(token: str) -> str:
    """``C:+2:6`` -> ``chord tone +2, 1/2 beat``; ``R:12`` -> ``rest, 1 beat``."""
    try:
        value = Value.from_token(token)
    except (ValueError, KeyError):
        return token
    length = Fraction(value.duration, TICKS_PER_BEAT)
    beats = f"{length} beat" + ("s" if length > 1 else "")
    if value.role is None or value.motion is None:
        return f"rest, {beats}"
    return f"{ROLE_WORDS[value.role]} {value.motion.name}, {beats}"


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
            text.append(f"{trace.label:<10}{number:>5} ", style="bold")
            text.append(sparkline(values, width, trace.fixed_max), style=trace.style)
        text.append("\n")
        text.append("played    ", style="bold")
        text.append(describe_value(latest.token) if latest else "–", style="dim")
        return text
