"""One owner for the settings, through the real ``Engine``: a knob's change comes back to the
screen as the engine's, the keys step from the settings in force, a refused change is said, and
the settings file gets what was in force at quit."""

from __future__ import annotations

import json
import time
from pathlib import Path

import mido
from tui_fakes import synchronously

from live_jazz.engine.clock import SystemClock
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.controls import ControlMap, Source
from live_jazz.engine.engine import Engine
from live_jazz.midi_io.ports import InputQueue, RecordingPort
from live_jazz.tui.app import LiveJazzApp, make_app
from live_jazz.tui.widgets import TransportBar

WAIT_S = 10.0
"""Liveness bound for the engine's thread: generous for a loaded machine."""


def knobbed_engine(weights) -> tuple[Engine, InputQueue]:  # noqa: ANN001
    """A real engine (system clock, a recording port) whose input has two knobs bound."""
    clock = SystemClock()
    queue = InputQueue(clock.now)
    controls = ControlMap({"temperature": Source("cc", 21), "tempo": Source("cc", 22)})
    engine = Engine(EngineConfig(seed=1), weights, RecordingPort("test", clock=clock.now),
                    clock=clock, input_queue=queue, controls=controls)
    return engine, queue


def turn(queue: InputQueue, control: int, value: int) -> None:
    queue.put(mido.Message("control_change", control=control, value=value), queue.clock())


async def until(pilot, condition) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def log_text(app: LiveJazzApp) -> str:
    return "".join(line.text for line in app.main.query_one("#log").lines)  # type: ignore[attr-defined]


@synchronously
async def test_a_knob_then_a_key_step_from_the_knobs_value(random_weights, tmp_path: Path):
    engine, queue = knobbed_engine(random_weights)
    settings = tmp_path / "settings.json"
    app = make_app(engine.config, engine, settings)
    try:
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            transport = app.main.query_one(TransportBar)
            turn(queue, 21, 127)  # stopped: shown at once all the same
            await until(pilot, lambda: transport.config.temperature == 2.0)
            await until(pilot, lambda: "temperature 2" in log_text(app))
            await pilot.press("right")  # wilder, from the knob's 2.00
            await until(pilot, lambda: engine.config.temperature == 2.05)
            await until(pilot, lambda: transport.config.temperature == 2.05)
            turn(queue, 21, 0)
            await until(pilot, lambda: transport.config.temperature == 0.1)
            await pilot.press("left")  # safer, from the knob's 0.10
            await until(pilot, lambda: engine.config.temperature == 0.05)
            turn(queue, 22, 64)
            await until(pilot, lambda: transport.config.tempo == 171.0)
            await pilot.press("up")
            await until(pilot, lambda: engine.config.tempo == 172.0)
            turn(queue, 21, 127)  # the knob last: what is in force at quit
            await until(pilot, lambda: transport.config.temperature == 2.0)
            await pilot.press("q")
    finally:
        app.shutdown()
    saved = json.loads(settings.read_text())
    assert (saved["temperature"], saved["tempo"]) == (2.0, 172.0)


@synchronously
async def test_a_refused_change_is_said_and_the_screen_keeps_the_engines(random_weights,
                                                                         tmp_path: Path):
    engine = Engine(EngineConfig(seed=1), random_weights, RecordingPort("test"),
                    input_queue=InputQueue(SystemClock().now), sync="external")
    app = make_app(engine.config, engine, tmp_path / "settings.json")
    try:
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            transport = app.main.query_one(TransportBar)
            await pilot.press("up")  # following a master: the tempo is the master's
            await until(pilot, lambda: "refused" in log_text(app))
            await until(pilot, lambda: transport.config.tempo == 120.0)
            assert engine.config.tempo == 120.0
            await pilot.press("q")
    finally:
        app.shutdown()


def test_keys_step_on_from_each_other_and_from_what_the_engine_applied():
    from live_jazz.engine.events import CommandApplied
    from live_jazz.tui.controller import Controller

    controller = Controller(EngineConfig())
    controller.nudge_temperature(0.05)
    controller.nudge_temperature(0.05)  # before the engine applied the first
    first, second = controller._pending
    assert (first.temperature, second.temperature) == (1.05, 1.1)
    controller.engine_reported(False, EngineConfig())  # a report from before either
    assert controller.config.temperature == 1.1
    knob = EngineConfig(temperature=1.05, tempo=150.0)
    controller.applied(CommandApplied(first, knob, None))
    assert (controller.config.temperature, controller.config.tempo) == (1.1, 150.0)
    controller.applied(CommandApplied(second, knob.with_changes(temperature=1.1), None))
    controller.engine_reported(False, EngineConfig(temperature=2.0, tempo=150.0))  # a knob
    assert controller.config.temperature == 2.0
    controller.nudge_temperature(0.05)
    assert controller._pending[-1].temperature == 2.05
    controller.applied(CommandApplied(controller._pending[-1], controller.in_force, "no"))
    assert controller.config.temperature == 2.0  # refused: the engine's stays
