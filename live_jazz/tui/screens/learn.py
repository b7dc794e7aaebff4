"""Learn mode (key ``l``): pick a control; the next knob, pad, pedal or program change on the
input is bound to it (the engine learns it; the binding is saved in the settings)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class LearnScreen(ModalScreen[str | None]):
    """The controls to learn; Enter picks one, escape leaves."""

    BINDINGS = [Binding("escape", "close", "close"), Binding("q", "close", "close", show=False)]

    def __init__(self, targets: Sequence[str]) -> None:
        super().__init__()
        self.targets = tuple(targets)

    def compose(self) -> ComposeResult:
        with Vertical(id="ports"):
            yield Static("Learn: pick a control, then move a knob, pad or pedal",
                         id="ports-title")
            yield OptionList(*(Option(t, id=t) for t in self.targets), id="ports-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
