"""The port screen (key ``o``): the outputs there are, listed live, the current one marked;
Enter plays into the chosen one from now on, without a restart. With ``--audio-in`` a section
of its own lists the audio inputs; Enter on one hears it from now on."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from live_jazz.tui.microphone import Microphone
from live_jazz.tui.outputs import Outputs

REFRESH_S = 1.0
"""How often the lists are read again (ports and sound cards come and go)."""


class PortScreen(ModalScreen[str | None]):
    """Choose the output (the screen's result) or the audio input; escape leaves them."""

    BINDINGS = [Binding("escape", "close", "close"), Binding("q", "close", "close", show=False)]

    def __init__(self, outputs: Outputs, current: str | None,
                 microphone: Microphone | None = None,
                 on_audio: Callable[[str], None] | None = None) -> None:
        """``microphone``: whose inputs are listed (None: no such section);
        ``on_audio``: told the audio input chosen (after the switch is asked for)."""
        super().__init__()
        self.outputs = outputs
        self.current = current
        self.microphone = microphone
        self.on_audio = on_audio
        self.shown: list[str] = []
        self.shown_audio: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="ports"):
            yield Static("Output: Enter plays into it, escape leaves it", id="ports-title")
            yield OptionList(id="ports-list")
            if self.microphone is not None:
                yield Static("Audio input (--audio-in): Enter hears it", id="audio-title")
                yield OptionList(id="audio-list")

    def on_mount(self) -> None:
        self._read()
        self.set_interval(REFRESH_S, self._read, name="read the ports")

    @work(thread=True, exclusive=True, group="ports")
    def _read(self) -> None:
        choices = self.outputs.choices()
        devices = None if self.microphone is None else self.microphone.devices()
        self.app.call_from_thread(self.show_choices, choices)
        if devices is not None:
            self.app.call_from_thread(self.show_audio_inputs, devices)

    def show_choices(self, choices: list[str]) -> None:
        """Show ``choices``, the current output marked, keeping the highlighted one."""
        if choices == self.shown:
            return
        self.shown = list(choices)
        _fill(self.query_one("#ports-list", OptionList), choices, self.current)

    def show_audio_inputs(self, devices: list[str]) -> None:
        """Show the audio inputs, the one heard now marked."""
        assert self.microphone is not None
        if devices == self.shown_audio:
            return
        self.shown_audio = list(devices)
        listing = self.query_one("#audio-list", OptionList)
        if not devices:
            listing.clear_options()
            listing.add_option(Option("  (no audio inputs found)", disabled=True))
            return
        _fill(listing, devices, self.microphone.current())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "audio-list":
            device = event.option.id
            if device is not None and self.microphone is not None and self.on_audio is not None:
                self.on_audio(device)
            self.dismiss(None)
            return
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


def _fill(listing: OptionList, choices: list[str], current: str | None) -> None:
    """``listing`` holds ``choices``, ``current`` marked; the highlight stays where it was."""
    highlighted = listing.highlighted
    options = listing.options
    keep = options[highlighted].id if highlighted is not None and options else None
    listing.clear_options()
    listing.add_options([Option(("● " if c == current else "  ") + c, id=c) for c in choices])
    if keep in choices:
        listing.highlighted = choices.index(keep)
    elif current in choices:
        listing.highlighted = choices.index(current)
    elif choices:
        listing.highlighted = 0
