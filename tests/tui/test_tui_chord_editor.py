"""The chord editor: checks the lead sheet as it is typed, shows the error in place, never applies
a bad sheet."""

from __future__ import annotations

from textual.widgets import Button, Select, Static, TextArea
from tui_fakes import FakeEngine, synchronously

from live_jazz.engine.commands import SetProgression
from live_jazz.theory import LeadSheetError, parse_progression, preset
from live_jazz.tui.app import LiveJazzApp
from live_jazz.tui.screens import ChordEditor
from live_jazz.tui.screens.chord_editor import check_lead_sheet
from live_jazz.tui.widgets import ProgressionView


async def open_editor(pilot) -> ChordEditor:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("c")
    editor = pilot.app.screen
    assert isinstance(editor, ChordEditor)
    return editor


def error_text(editor: ChordEditor) -> str:
    return str(editor.query_one("#error", Static).content)


@synchronously
async def test_a_new_sheet_is_applied_from_the_editor(app: LiveJazzApp, engine: FakeEngine):
    async with app.run_test(size=(110, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one(TextArea).load_text("| Dm7 G7 | Cmaj7 |")
        await pilot.pause()
        assert error_text(editor) == "✓ 2 bars"
        await pilot.press("ctrl+s")
        assert app.screen is app.main
        expected = parse_progression("| Dm7 G7 | Cmaj7 |")
        assert engine.commands == [SetProgression(expected)]
        assert app.main.query_one(ProgressionView).progression == expected
        assert app.controller.settings_to_save()["progression"] == expected


@synchronously
async def test_a_typo_is_shown_in_place_and_cannot_be_applied(app, engine):
    async with app.run_test(size=(110, 40)) as pilot:
        editor = await open_editor(pilot)
        sheet = editor.query_one(TextArea)
        sheet.load_text("| Dm7 G7 | Cmaj7 |")
        sheet.move_cursor((0, 8))  # after "G7"
        await pilot.press("x")
        assert sheet.text == "| Dm7 G7x | Cmaj7 |"
        assert error_text(editor).startswith("✗ bar 1:")
        assert "G7x" in error_text(editor)
        assert editor.query_one("#error").has_class("-invalid")
        assert editor.query_one(Button).disabled
        await pilot.press("ctrl+s")
        assert app.screen is editor  # still editing
        await pilot.press("backspace")
        assert error_text(editor) == "✓ 2 bars"
        assert not editor.query_one("#apply", Button).disabled
        await pilot.click("#apply")
        assert app.screen is app.main
    assert engine.commands == [SetProgression(parse_progression("| Dm7 G7 | Cmaj7 |"))]


@synchronously
async def test_an_error_names_the_bar(app, engine):
    async with app.run_test(size=(110, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one(TextArea).load_text("| C | F | Q7 | G |")
        await pilot.pause()
        assert error_text(editor).startswith("✗ bar 3:")
        editor.query_one(TextArea).load_text("")
        await pilot.pause()
        assert error_text(editor).startswith("✗ ")
        await pilot.press("escape")
    assert engine.commands == []


@synchronously
async def test_a_preset_fills_the_sheet_with_its_name(app: LiveJazzApp, engine: FakeEngine):
    async with app.run_test(size=(110, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one(Select).value = "rhythm-changes"
        await pilot.pause()
        assert editor.query_one(TextArea).text == preset("rhythm-changes").to_text()
        await pilot.press("ctrl+s")
        assert engine.commands == [SetProgression(preset("rhythm-changes"))]
        assert app.main.query_one(ProgressionView).border_title == "rhythm-changes"


def test_chords_between_the_ticks_are_refused():
    try:
        check_lead_sheet("| C D E F G |", beats_per_bar=4, name="")
    except LeadSheetError as error:
        assert str(error).startswith("bar 1:")
    else:
        raise AssertionError("five chords in a bar of 48 ticks were accepted")
