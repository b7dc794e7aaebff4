"""Every key binding of the main screen, driven with Pilot against a fake engine."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from textual.command import CommandList
from textual.widgets import Static
from tui_fakes import FakeEngine, drawn, synchronously

from live_jazz.engine.commands import (
    Panic,
    Play,
    ResetModel,
    SetAnswerStyle,
    SetIntensity,
    SetMode,
    SetSwing,
    SetTemperature,
    SetTempo,
    Stop,
)
from live_jazz.engine.config import EngineConfig
from live_jazz.tui.app import LiveJazzApp, Outcome, make_app
from live_jazz.tui.bindings import CONTROLS
from live_jazz.tui.screens import ChordEditor, HelpScreen
from live_jazz.tui.widgets import TransportBar


async def ready(pilot) -> None:  # noqa: ANN001
    """Wait until the engine is loaded and attached."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["space"], [Play()]),
        (["space", "space"], [Play(), Stop()]),
        (["up"], [SetTempo(121.0)]),
        (["down"], [SetTempo(119.0)]),
        (["shift+up"], [SetTempo(130.0)]),
        (["shift+down", "shift+down"], [SetTempo(110.0), SetTempo(100.0)]),
        (["right"], [SetTemperature(1.05)]),
        (["left", "left"], [SetTemperature(0.95), SetTemperature(0.9)]),
        (["s"], [SetSwing(0.5)]),
        (["s"] * 6, [SetSwing(0.5), SetSwing(0.58), SetSwing(0.62), SetSwing(0.67),
                     SetSwing(0.75), SetSwing(None)]),
        (["right_square_bracket", "left_square_bracket", "left_square_bracket"],
         [SetIntensity(1.1), SetIntensity(1.0), SetIntensity(0.9)]),
        (["m", "m", "m"], [SetMode("trade"), SetMode("answer"), SetMode("solo")]),
        (["a", "a", "a", "a"], [SetAnswerStyle("echo"), SetAnswerStyle("develop"),
                                SetAnswerStyle("contrast"), SetAnswerStyle("auto")]),
        (["r"], [ResetModel()]),
        (["p"], [Panic()]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) and isinstance(v[0], str) else "",
)
@synchronously
async def test_a_key_queues_its_command(app: LiveJazzApp, engine: FakeEngine, keys, expected):
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        assert engine.commands == expected


@synchronously
async def test_the_transport_shows_a_change_at_once(app: LiveJazzApp):
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("up", "right", "m", "a")
        transport = app.screen.query_one(TransportBar)
        assert (transport.config.tempo, transport.config.temperature) == (121.0, 1.05)
        assert transport.config.mode == "trade"
        assert "121 BPM" in str(transport.render())
        assert "echo answers" in str(transport.render())


@synchronously
async def test_settings_stop_at_their_limits(engine: FakeEngine):
    config = EngineConfig(tempo=395.0, temperature=0.0)
    async with make_app(config, engine).run_test() as pilot:
        await ready(pilot)
        await pilot.press("shift+up", "shift+up", "left")
        assert engine.commands == [SetTempo(400.0), SetTempo(400.0), SetTemperature(0.0)]


@synchronously
async def test_tap_tempo_sets_the_tempo_from_the_second_tap(app: LiveJazzApp, engine: FakeEngine):
    """Taps half a second apart on the screen's clock (not the wall clock: under load two
    presses may lie past the tap timeout), then a pause past it starts a new count."""
    taps = iter([10.0, 10.5, 11.0, 20.0, 20.4])
    app.main.clock = lambda: next(taps)
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("t")
        assert engine.commands == []
        await pilot.press("t", "t")
        assert engine.commands == [SetTempo(120.0), SetTempo(120.0)]
        await pilot.press("t")
        assert engine.commands == [SetTempo(120.0), SetTempo(120.0)]
        await pilot.press("t")
        assert engine.commands[2:] == [SetTempo(150.0)]


@synchronously
async def test_c_opens_the_chord_editor_and_escape_leaves_the_chords(app, engine):
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, ChordEditor)
        await pilot.press("escape")
        assert app.screen is app.main
        assert engine.commands == []


@pytest.mark.parametrize("key", ["question_mark", "f1"])
@synchronously
async def test_help_lists_every_control(app: LiveJazzApp, key: str):
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press(key)
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.query_one("#help").query(Static).last().content
        text = "".join(segment.text for segment in app.console.render(shown))
        for control in CONTROLS:
            assert control.help in text
        await pilot.press("escape")
        assert app.screen is app.main


@pytest.mark.parametrize("size", [(80, 24), (110, 36), (160, 50)], ids=str)
@synchronously
async def test_help_draws_every_key_on_the_screen(app: LiveJazzApp, size: tuple[int, int]):
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        lines = drawn(app)
        for control in CONTROLS:
            row = [line for line in lines if control.help in line]
            assert row, f"{control.help!r} not drawn at {size}"
            assert control.key_display in row[0]
        assert any("Command palette" in line for line in lines)


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
@synchronously
async def test_q_stops_cleanly_and_names_the_recording(app: LiveJazzApp, engine: FakeEngine, key):
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("space", key)
        await pilot.pause()
    assert engine.closed == 1
    assert app.return_value == Outcome(recording=engine.recording)
    assert app.shutdown() == engine.recording  # again: no second close
    assert engine.closed == 1


@synchronously
async def test_every_control_is_in_the_command_palette(app: LiveJazzApp, engine: FakeEngine):
    async with app.run_test() as pilot:
        await ready(pilot)
        commands = {command.title: command for command in app.get_system_commands(app.main)}
        for control in CONTROLS:
            assert control.help in commands or control.action == "app.quit"
        assert "Quit" in commands
        await commands["All notes off, now"].callback()
        assert engine.commands == [Panic()]


@synchronously
async def test_the_screen_is_up_while_the_engine_loads(config: EngineConfig, engine: FakeEngine):
    loaded = threading.Event()

    def slow_load() -> FakeEngine:
        loaded.wait(10)
        return engine

    app = LiveJazzApp(config, slow_load, settings_file=None)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen is app.main
        assert not app.main.query_one(TransportBar).ready
        await pilot.press("space", "up")  # waits for the engine, then goes to it
        assert engine.commands == []
        loaded.set()
        await ready(pilot)
        assert engine.started
        assert engine.commands == [Play(), SetTempo(121.0)]
        assert app.main.query_one(TransportBar).ready


@synchronously
async def test_a_failed_load_exits_with_the_reason(config: EngineConfig):
    def failing_load() -> FakeEngine:
        raise OSError("no MIDI backend: start JACK or pass --midi-api")

    app = LiveJazzApp(config, failing_load, settings_file=None)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_value == Outcome(error="no MIDI backend: start JACK or pass --midi-api")
    assert app.return_code == 2


@synchronously
async def test_quit_while_loading_closes_the_engine_once_built(config, engine):
    loaded = threading.Event()

    def slow_load() -> FakeEngine:
        loaded.wait(10)
        return engine

    app = LiveJazzApp(config, slow_load, settings_file=None)
    async with app.run_test() as pilot:
        await pilot.press("q")
        loaded.set()
    app.shutdown(wait=True)  # as the CLI does after the App has exited
    assert engine.closed == 1


@synchronously
async def test_sigterm_quits_as_q_does(app: LiveJazzApp, engine: FakeEngine):
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("space")
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause(0.1)
    assert engine.closed == 1
    assert app.return_value == Outcome(recording=engine.recording)
    assert app.return_code == 143


@synchronously
async def test_a_control_runs_from_the_command_palette(app: LiveJazzApp, engine: FakeEngine):
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"all notes off")
        found = app.screen.query_one(CommandList)
        for _ in range(500):  # the palette searches in the background
            if found.option_count:
                break
            await pilot.pause(0.02)
        await pilot.press("enter")
        await pilot.pause()
        assert engine.commands == [Panic()]
        assert app.screen is app.main


class EngineThatCannotStart(FakeEngine):
    def start(self) -> None:
        raise OSError("port vanished while opening")


@synchronously
async def test_an_engine_that_cannot_start_is_closed(config: EngineConfig):
    engine = EngineThatCannotStart(config)
    app = LiveJazzApp(config, lambda: engine, settings_file=None)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert engine.closed == 1
    assert app.return_value == Outcome(error="port vanished while opening")
