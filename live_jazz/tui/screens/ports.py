"""The port screen (key ``o``): the outputs there are, listed live, the current one marked;
Enter plays into the chosen one from now on, without a restart."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from live_jazz.tui.outputs import Outputs

REFRESH_S = 1.0
"""How often the list is read again (ports come and go)."""


class PortScreen(ModalScreen[str | None]):
    """Choose the output; escape leaves it as it is."""

    BINDINGS = [Binding("escape", "close", "close"), Binding("q", "close", "close", show=False)]

    def __init__(self, outputs: Outputs, current: str | None) -> None:
        super().__init__()
        self.outputs = outputs
        self.current = current
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="ports"):
            yield Static("Output: Enter plays into it, escape leaves it", id="ports-title")
            yield OptionList(id="ports-list")

    def on_mount(self) -> None:
        self._read()
        self.set_interval(REFRESH_S, self._read, name="read the ports")

    @work(thread=True, exclusive=True, group="ports")
    def _read(self) -> None:
        choices = self.outputs.choices()
        self.app.call_from_thread(self.show_choices, choices)

    def show_choices(self, choices: list[str]) -> None:
        """Show ``choices``, the current output marked, keeping the highlighted one."""
        if choices == self.shown:
            return
        listing = self.query_one("#ports-list", OptionList)
        highlighted = listing.highlighted
        keep = self.shown[highlighted] if highlighted is not None and self.shown else None
        self.shown = list(choices)
        listing.clear_options()
        listing.add_options([Option(("● " if c == self.current else "  ") + c, id=c)
                             for c in choices])
        if keep in choices:
            listing.highlighted = choices.index(keep)
        elif self.current in choices:
            listing.highlighted = choices.index(self.current)
        elif choices:
            listing.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
