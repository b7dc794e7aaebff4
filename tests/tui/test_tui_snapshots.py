"""What the main screen looks like in each mode, and the chord editor showing an error
(pytest-textual-snapshot; ``pytest tests/tui --snapshot-update`` after an intended change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea
from tui_fakes import FakeEngine, a_few_bars

from live_jazz.engine.config import EngineConfig
from live_jazz.tui.app import LiveJazzApp, make_app
from live_jazz.tui.microphone import Microphone

SIZE = (110, 40)


def playing_app(mode: str, turn: str, microphone: Microphone | None = None):
    config = EngineConfig(mode=mode, seed=0)  # type: ignore[arg-type]
    engine = FakeEngine(config, recording=Path("sessions/2026-11-26-0900.mid"))
    app = make_app(config, engine, settings_file=None) if microphone is None else \
        LiveJazzApp(config, lambda: engine, None, None, microphone)

    async def play(pilot) -> None:  # noqa: ANN001
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        engine.emit(a_few_bars(config, turn))
        # Let the picture settle: notes reach the screen in 30 Hz batches, and between the
        # engine's beat reports the roll runs on at the tempo for at most one beat (0.5 s here).
        await pilot.pause(0.6)

    return app, play


@pytest.mark.parametrize(("mode", "turn"),
                         [("solo", "solo"), ("trade", "listening"), ("answer", "answering")])
def test_the_main_screen_while_playing(snap_compare, mode: str, turn: str):
    app, play = playing_app(mode, turn)
    assert snap_compare(app, terminal_size=SIZE, run_before=play)


def test_the_chord_editor_shows_the_error_in_place(snap_compare):
    app, play = playing_app("solo", "solo")

    async def edit(pilot) -> None:  # noqa: ANN001
        await play(pilot)
        await pilot.press("c")
        sheet = pilot.app.screen.query_one(TextArea)
        sheet.cursor_blink = False  # a blinking cursor would make the picture depend on time
        sheet.load_text("| Dm7 G7 | Cmaj7 | Bb13#11 | Zz7 |")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=edit)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_help_screen(snap_compare, size: tuple[int, int]):
    app, play = playing_app("solo", "solo")

    async def help_screen(pilot) -> None:  # noqa: ANN001
        await play(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=help_screen)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_main_screen_hearing_a_microphone(snap_compare, size: tuple[int, int]):
    from test_tui_microphone import FakeListener

    microphone = Microphone()
    microphone.attach(FakeListener(level=-23.0, midi=69.2))  # A4, a little sharp, at -23 dBFS
    app, play = playing_app("trade", "listening", microphone)
    assert snap_compare(app, terminal_size=size, run_before=play)
