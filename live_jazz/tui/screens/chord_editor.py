"""The chord editor: a modal with the lead sheet as text, checked as you type; errors are shown in
place (which bar, what is wrong) and a bad sheet cannot be applied."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TextArea

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.theory import LeadSheetError, Progression, parse_progression, preset, preset_names

HINT = "bars between |, chords split a bar evenly, % repeats a bar · ctrl+s apply · esc cancel"


def check_lead_sheet(text: str, beats_per_bar: int, name: str) -> Progression:
    """The progression `text` spells, as the engine will play it (raises LeadSheetError naming
    the bar)."""
    progression = parse_progression(text, beats_per_bar=beats_per_bar, name=name)
    progression.timeline(TICKS_PER_BEAT)  # chords that fall between the engine's ticks
    return progression


class ChordEditor(ModalScreen[Progression | None]):
    """Edit the progression; dismisses with the new one, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel", priority=True),
        Binding("ctrl+s", "apply", "apply", priority=True),
    ]

    def __init__(self, progression: Progression) -> None:
        super().__init__()
        self.original = progression
        self.progression: Progression | None = progression
        """The sheet as it stands, None while it has an error."""

    def compose(self) -> ComposeResult:
        presets = [(name, name) for name in preset_names()]
        current = self.original.name if self.original.name in preset_names() else Select.BLANK
        with Vertical(id="editor"):
            yield Label("Chords", id="editor-title")
            yield Select(presets, prompt="preset…", value=current, id="preset")
            yield TextArea(self.original.to_text(), id="sheet", soft_wrap=False)
            yield Static("", id="error")
            yield Static(HINT, id="hint")
            with Horizontal(id="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#sheet", TextArea).focus()
        self._validate()

    @on(Select.Changed, "#preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            sheet = self.query_one("#sheet", TextArea)
            sheet.text = preset(event.value).to_text()
            sheet.focus()

    @on(TextArea.Changed, "#sheet")
    def _sheet_changed(self) -> None:
        self._validate()

    def _validate(self) -> None:
        text = self.query_one("#sheet", TextArea).text
        error = self.query_one("#error", Static)
        try:
            self.progression = check_lead_sheet(
                text, self.original.beats_per_bar, self._sheet_name(text)
            )
        except LeadSheetError as problem:
            self.progression = None
            error.update(f"✗ {problem}")
            error.set_class(True, "-invalid")
        else:
            error.update(f"✓ {self.progression.n_bars} bars")
            error.set_class(False, "-invalid")
        self.query_one("#sheet", TextArea).set_class(self.progression is None, "-invalid")
        self.query_one("#apply", Button).disabled = self.progression is None

    def _sheet_name(self, text: str) -> str:
        """The preset's name while the text is still that preset, else the original name if the
        text is unchanged, else none."""
        chosen = self.query_one("#preset", Select).value
        if isinstance(chosen, str) and text == preset(chosen).to_text():
            return chosen
        return self.original.name if text == self.original.to_text() else ""

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        if self.progression is None:
            self.app.bell()  # the error is already shown under the sheet
            return
        self.dismiss(self.progression)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
