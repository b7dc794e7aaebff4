"""The port screen (key ``o``) and the "nothing listens" warning, against a fake port list."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tui_fakes import FakeEngine, synchronously

from live_jazz.engine.commands import SwitchOutput
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.events import PortsChanged
from live_jazz.midi_io.ports import OutputPort, PortChange, PortError, RecordingPort
from live_jazz.tui.app import LiveJazzApp
from live_jazz.tui.screens import PortScreen
from live_jazz.tui.widgets import StatusBar


class FakeOutputs:
    """A port list the test changes while the screen is up; opening records what was opened."""

    def __init__(self, ports: list[str], listening: int | None = 0) -> None:
        self.ports = ports
        self.listening = listening
        self.opened: list[str] = []
        self.fail: set[str] = set()

    def choices(self) -> list[str]:
        return ["built-in voice", "virtual port", *self.ports]

    def open(self, choice: str, on_change: Callable[[PortChange], None]) -> OutputPort:
        if choice in self.fail:
            raise PortError(f"no MIDI output port {choice!r}")
        self.opened.append(choice)
        return RecordingPort(choice)

    def choice_of(self, port_name: str | None) -> str | None:
        return "virtual port" if port_name == "live-jazz" else port_name

    def listeners(self, port_name: str) -> int | None:
        return self.listening if port_name == "live-jazz" else None


def make(config: EngineConfig, engine: FakeEngine, outputs: FakeOutputs,
         settings: Path) -> LiveJazzApp:
    return LiveJazzApp(config, lambda: engine, settings, outputs)


async def ready(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle(pilot, until: Callable[[], bool]) -> None:  # noqa: ANN001
    for _ in range(100):
        await pilot.pause(0.02)
        if until():
            return
    raise AssertionError("timed out")


@synchronously
async def test_nothing_listening_is_said_in_the_status_line_until_something_connects(
    config: EngineConfig, engine: FakeEngine, tmp_path: Path
):
    outputs = FakeOutputs(["FLUID Synth:0"], listening=0)
    app = make(config, engine, outputs, tmp_path / "settings.json")
    async with app.run_test() as pilot:
        await ready(pilot)
        status = app.main.query_one("#status", StatusBar)
        await settle(pilot, lambda: status.unheard)
        assert "nothing listens: o for the built-in voice or a port" in str(status.render())
        outputs.listening = 1  # a synth connects
        app.main._check_listeners()
        await settle(pilot, lambda: not status.unheard)


@synchronously
async def test_o_lists_the_outputs_live_and_marks_the_current_one(
    config: EngineConfig, engine: FakeEngine, tmp_path: Path
):
    outputs = FakeOutputs(["FLUID Synth:0"])
    app = make(config, engine, outputs, tmp_path / "settings.json")
    async with app.run_test() as pilot:
        await ready(pilot)
        engine.emit([PortsChanged("FLUID Synth:0", None, "ALSA", "internal", None)])
        await pilot.pause()
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, PortScreen)
        await settle(pilot, lambda: screen.shown == outputs.choices())
        listing = screen.query_one("#ports-list")
        labels = [str(listing.get_option_at_index(i).prompt) for i in range(3)]
        assert labels == ["  built-in voice", "  virtual port", "● FLUID Synth:0"]
        assert listing.highlighted == 2  # on the current one
        outputs.ports.append("Keystation:1")  # plugged in while the screen is up
        await settle(pilot, lambda: "Keystation:1" in screen.shown)
        assert listing.highlighted == 2
        await pilot.press("escape")
        assert app.screen is app.main and outputs.opened == []


@synchronously
async def test_choosing_an_output_switches_without_restart_and_is_remembered(
    config: EngineConfig, engine: FakeEngine, tmp_path: Path
):
    settings = tmp_path / "settings.json"
    outputs = FakeOutputs(["FLUID Synth:0"])
    app = make(config, engine, outputs, settings)
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("o")
        await settle(pilot, lambda: len(app.screen.shown) == 3)  # type: ignore[attr-defined]
        await pilot.press("down", "enter")  # the highlight starts on the current one
        assert app.screen is app.main
        await settle(pilot, lambda: bool(engine.commands))
        assert outputs.opened == ["FLUID Synth:0"]
        [command] = engine.commands
        assert isinstance(command, SwitchOutput) and command.port.name == "FLUID Synth:0"
        await pilot.press("q")
    assert json.loads(settings.read_text())["output"] == "FLUID Synth:0"


@synchronously
async def test_a_port_that_cannot_be_opened_is_one_log_line_and_nothing_changes(
    config: EngineConfig, engine: FakeEngine, tmp_path: Path
):
    outputs = FakeOutputs(["Gone:0"])
    outputs.fail.add("Gone:0")
    app = make(config, engine, outputs, tmp_path / "settings.json")
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("o")
        await settle(pilot, lambda: len(app.screen.shown) == 3)  # type: ignore[attr-defined]
        await pilot.press("down", "enter")  # the highlight starts on the current one
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert engine.commands == []
        log_text = "".join(line.text for line in app.main.query_one("#log").lines)  # type: ignore[attr-defined]
        assert "cannot open Gone:0: no MIDI output port 'Gone:0'" in log_text


@synchronously
async def test_learn_mode_picks_a_control_and_the_learned_binding_is_saved(
    config: EngineConfig, engine: FakeEngine, tmp_path: Path
):
    from live_jazz.engine.commands import LearnControl
    from live_jazz.engine.events import ControlsChanged
    from live_jazz.tui.screens.learn import LearnScreen

    settings = tmp_path / "settings.json"
    app = make(config, engine, FakeOutputs([]), settings)
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LearnScreen)
        await pilot.press("down", "enter")  # the second control: tempo
        assert app.screen is app.main
        assert engine.commands == [LearnControl("tempo")]
        engine.emit([ControlsChanged(("tempo=cc22/ch2",))])  # the engine learned a knob
        await settle(pilot, lambda: "controls" in app.controller.changed)
        await pilot.press("l", "escape")
        assert engine.commands == [LearnControl("tempo")]
        await pilot.press("q")
    assert json.loads(settings.read_text())["controls"] == ["tempo=cc22/ch2"]
