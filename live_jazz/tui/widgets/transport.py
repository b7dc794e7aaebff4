"""Transport: play state, bar:beat, tempo, swing, temperature, mode and whose turn it is."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from live_jazz.engine.config import EngineConfig
from live_jazz.engine.events import TransportChanged

TURN_LABELS = {"listening": "listening to you", "answering": "answering", "solo": "soloing"}


class TransportBar(Widget):
    """One line of transport, one of settings."""

    DEFAULT_CSS = """
    TransportBar { height: 2; }
    """

    def __init__(self, config: EngineConfig, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.config = config
        self.playing = False
        self.form_bar: int | None = None
        """The bar of the form sounding (0-based, as the progression shows it); None: none."""
        self.beat = 0.0
        self.turn = "solo"
        self.beats_left: float | None = None
        self.late_events = 0
        self.bpm = config.tempo
        """The tempo in force, as the engine last said (following a master, the master's)."""
        self.ready = False

    def show_transport(self, transport: TransportChanged, config: EngineConfig) -> None:
        """The engine's latest word, with ``config`` the settings to show (the engine's, and
        the user's changes still on their way)."""
        self.config = config
        self.playing = transport.playing
        if not transport.playing:
            self.form_bar = None
        self.beat = transport.beat
        self.turn = transport.turn
        self.beats_left = transport.beats_left
        self.late_events = transport.late_events
        self.bpm = transport.bpm
        self.refresh()

    def show_settings(self, config: EngineConfig, playing: bool) -> None:
        """What the user just set (shown before the engine confirms it)."""
        if config.tempo != self.config.tempo:
            self.bpm = config.tempo
        self.config = config
        self.playing = playing
        self.refresh()

    def show_form_bar(self, form_bar: int) -> None:
        """The bar of the form that sounds now (the engine's chord report)."""
        self.form_bar = form_bar
        self.refresh()

    def show_ready(self, ready: bool) -> None:
        """Whether the engine is loaded."""
        self.ready = ready
        self.refresh()

    def render(self) -> Text:
        config = self.config
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.ready:
            text.append(" … loading ", style="bold black on yellow")
        elif self.playing:
            text.append(" ▶ PLAYING ", style="bold black on green")
        else:
            text.append(" ■ STOPPED ", style="bold white on red")
        bars = config.progression.n_bars
        bar = "–" if self.form_bar is None else f"{self.form_bar % bars + 1}"
        text.append(f"  bar {bar:>2}/{bars} beat {int(self.beat) + 1}", style="bold")
        text.append("   ♩ = ")
        text.append(f"{self.bpm:g}", style="bold cyan")
        text.append(" BPM")
        if self.late_events:
            text.append(f"   late {self.late_events}", style="bold red")
        else:
            text.append("   late 0", style="dim")
        text.append("\n")
        text.append(" swing ")
        text.append(f"{'auto ' if config.swing_auto else ''}{config.swing:.2f}",
                    style="bold cyan")
        if config.feel == "grid":
            text.append("   feel ")
            text.append("grid", style="bold cyan")
        else:
            text.append("   intensity ")
            text.append(f"{config.intensity:.1f}", style="bold cyan")
        text.append("   temperature ")
        text.append(f"{config.temperature:.2f}", style="bold cyan")
        text.append("   mode ")
        text.append(config.mode, style="bold magenta")
        if config.mode != "solo":
            text.append(f" ({config.trade_bars} bars)" if config.mode == "trade" else "")
            text.append(f", {config.answer_style} answers", style="magenta")
            label = TURN_LABELS.get(self.turn, self.turn)
            style = "bold green" if self.turn == "listening" else "bold yellow"
            text.append(" · ")
            text.append(label, style=style)
            if self.beats_left is not None:
                text.append(f" · {self.beats_left:.0f} beats left")
        return text
