"""The microphone in the TUI (``--audio-in``): the level meter and the pitch heard, drawn on
the main screen, and the audio inputs on the port screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from tui_fakes import FakeEngine, drawn, synchronously

from live_jazz.audio_in.capture import MemoryCapture
from live_jazz.audio_in.listen import AudioListener
from live_jazz.audio_in.tracker import Frame, TrackerConfig
from live_jazz.engine.config import EngineConfig
from live_jazz.midi_io.ports import InputQueue, OutputPort, PortChange, RecordingPort
from live_jazz.tui.app import LiveJazzApp
from live_jazz.tui.microphone import Microphone

RATE = 48000


class FakeListener:
    """What the TUI reads of a listener, set by the test; ``switch`` records the openers."""

    def __init__(self, name: str = "Built-in Microphone", level: float = -23.0,
                 midi: float | None = 69.2, open: bool = True) -> None:
        self.name = name
        self.frame = Frame(level, midi)
        self.meter_db = level
        self.open = open
        self.switched: list[Callable] = []

    def switch(self, opener: Callable) -> None:
        self.switched.append(opener)


class FakeOutputs:
    """Two outputs, none listened to (the port screen's other section)."""

    def choices(self) -> list[str]:
        return ["built-in voice", "virtual port"]

    def open(self, choice: str, on_change: Callable[[PortChange], None]) -> OutputPort:
        return RecordingPort(choice)

    def choice_of(self, port_name: str | None) -> str | None:
        return "virtual port" if port_name == "live-jazz" else port_name

    def listeners(self, port_name: str) -> int | None:
        return None


def mic_line(app: LiveJazzApp) -> str:
    """The drawn line that holds the meter ('' if none)."""
    return next((line for line in drawn(app) if " mic " in line), "")


async def until(pilot, condition: Callable[[], bool], seconds: float = 10.0) -> None:  # noqa: ANN001
    stop = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > stop:
            raise AssertionError("timed out")
        await pilot.pause(0.02)


def real_time(deadline: float) -> None:
    time.sleep(max(0.0, deadline - time.perf_counter()))


@synchronously
async def test_a_tone_heard_through_the_memory_input_draws_its_level_and_pitch(
    config: EngineConfig, engine: FakeEngine
):
    t = np.arange(int(0.8 * RATE)) / RATE
    tone = 0.1 * np.sin(2 * np.pi * 440.0 * t)  # A4 at -23 dBFS (RMS)
    samples = np.concatenate((tone, np.zeros(RATE * 3))).astype(np.float32)
    queue = InputQueue(time.perf_counter)
    microphone = Microphone()
    app = LiveJazzApp(config, lambda: engine, None, None, microphone)
    async with app.run_test(size=(80, 24)) as pilot:
        microphone.attach(AudioListener(
            lambda blocks: MemoryCapture(samples, RATE, blocks, real_time, name="a4.wav"),
            queue, TrackerConfig(gate_db=-50.0)))
        try:
            await until(pilot, lambda: " A4" in mic_line(app))
            assert "-23 dBFS" in mic_line(app)
            assert "█" in mic_line(app)
            await until(pilot, lambda: mic_line(app).rstrip().endswith(" -"))  # the silence
            assert " A4" not in mic_line(app)
        finally:
            microphone.listener.close()  # type: ignore[union-attr]


@synchronously
async def test_the_meter_says_when_no_input_is_open(config: EngineConfig, engine: FakeEngine):
    microphone = Microphone()
    listener = FakeListener(open=False)
    microphone.attach(listener)
    app = LiveJazzApp(config, lambda: engine, None, None, microphone)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "no input (retrying)" in mic_line(app))
        listener.open, listener.frame = True, Frame(-40.0, None)
        listener.meter_db = -40.0
        await until(pilot, lambda: "-40 dBFS  -" in mic_line(app))


def test_without_audio_in_there_is_no_meter(config: EngineConfig, engine: FakeEngine):
    @synchronously
    async def run() -> None:
        app = LiveJazzApp(config, lambda: engine, None, None)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause(0.2)
            assert mic_line(app) == ""

    run()


@synchronously
async def test_the_port_screen_lists_the_audio_inputs_and_switches_to_the_chosen_one(
    config: EngineConfig, engine: FakeEngine, tmp_path: Path
):
    microphone = Microphone(devices=lambda: ["USB Audio Mic", "Built-in Microphone"])
    listener = FakeListener("Built-in Microphone")
    microphone.attach(listener)
    app = LiveJazzApp(config, lambda: engine, tmp_path / "settings.json", FakeOutputs(),
                      microphone)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("o")
        await until(pilot, lambda: any("● Built-in Microphone" in line
                                       for line in drawn(app)))
        lines = drawn(app)
        assert any("Audio input (--audio-in)" in line for line in lines)
        assert any("  USB Audio Mic" in line for line in lines)
        assert any("built-in voice" in line for line in lines)  # the outputs are still there
        app.screen.query_one("#audio-list").focus()
        await pilot.press("up", "enter")
        await until(pilot, lambda: listener.switched != [])
        assert microphone.chosen == "USB Audio Mic" and microphone.current() == "USB Audio Mic"
        await until(pilot, lambda: any("hearing USB Audio Mic" in line
                                       for line in drawn(app)))


def test_the_meter_fills_by_eighths_from_its_floor_to_full_scale():
    from live_jazz.tui.widgets.hearing import CELLS, meter_cells

    assert meter_cells(-120.0).plain == " " * CELLS
    assert meter_cells(0.0).plain == "█" * CELLS
    assert meter_cells(3.0).plain == "█" * CELLS  # over full scale: full, never wider
    assert meter_cells(-30.0).plain == "█" * 5 + " " * 5  # -60..0 dBFS, 6 dB a cell
    assert meter_cells(-27.0).plain == "█" * 5 + "▌" + " " * 4
    assert [span.style for span in meter_cells(0.0).spans][-1] == "red"


@synchronously
async def test_live_jazz_tui_audio_in_shows_what_the_file_plays(random_weights_dir, tmp_path):
    """As ``live-jazz tui --audio-in file:a4.wav`` wires it: the loader hands the TUI its
    listener."""
    import argparse
    import wave

    from live_jazz.cli import tui

    t = np.arange(int(3.0 * RATE)) / RATE
    path = tmp_path / "a4.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((0.1 * 32767 * np.sin(2 * np.pi * 440.0 * t)).astype("<i2").tobytes())
    parser = argparse.ArgumentParser()
    tui.configure(parser)
    app = tui.build_app(parser.parse_args([
        "--midi-api", "test", "--weights", str(random_weights_dir), "--no-record",
        "--audio-in", f"file:{path}", "--audio-gate", "-50"]))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: " A4" in mic_line(app), seconds=30.0)
            assert "-23 dBFS" in mic_line(app)
            await pilot.press("q")
    finally:
        app.shutdown(wait=True)
