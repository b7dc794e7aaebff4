"""The microphone's live path without a sound card: a file through the memory capture, and the
faults (no device, a device that stops, a refused rate, clipping, silence)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from live_jazz.audio_in import capture, listen
from live_jazz.audio_in.capture import AudioInputError, DeviceCapture, MemoryCapture
from live_jazz.audio_in.listen import AUDIO_CHANNEL, AudioListener
from live_jazz.midi_io.ports import InputQueue
from tests.audio_in.signals import RATE, Tone, render


def no_wait(deadline: float) -> None:
    time.sleep(0.0005)  # hands blocks over far faster than real time


def collect(queue: InputQueue, until, timeout: float = 10.0) -> list:
    got: list = []
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        got += queue.drain()
        if until(got):
            return got
        time.sleep(0.01)
    return got


def pitches(messages) -> list[tuple[str, int]]:
    return [(m.type, m.note) for _, m in messages]


def test_a_recording_through_the_live_path_arrives_as_keys_on_channel_16():
    samples = render([Tone(60, 0.6, 0.25), Tone(64, 0.95, 0.25), Tone(67, 1.3, 0.25)], 1.8)
    queue = InputQueue(time.perf_counter)
    listener = AudioListener(lambda blocks: MemoryCapture(samples, RATE, blocks, no_wait),
                             queue)
    try:
        got = collect(queue, lambda got: len(got) >= 6)
    finally:
        listener.close()
    assert pitches(got) == [("note_on", 60), ("note_off", 60), ("note_on", 64),
                            ("note_off", 64), ("note_on", 67), ("note_off", 67)]
    assert all(m.channel == AUDIO_CHANNEL for _, m in got)
    times = [t for t, _ in got]
    assert times == sorted(times)
    assert listener.notes == 3


class StoppingCapture:
    """Sends a held tone's blocks from a thread, then stops as an unplugged device does."""

    finished = False

    def __init__(self, blocks, seconds: float = 1.0) -> None:
        self.name = "fake mic"
        self.sample_rate = RATE
        self.closed = False
        samples = render([Tone(62, 0.6, 5.0)], seconds)
        self._thread = threading.Thread(target=self._run, args=(blocks, samples), daemon=True)
        self._thread.start()

    def _run(self, blocks, samples) -> None:
        for first in range(0, samples.size, 256):
            blocks.put(samples[first:first + 256])
            time.sleep(0.0005)

    def to_float(self, data):
        return np.asarray(data, dtype=np.float32)

    def close(self) -> None:
        self.closed = True


def test_a_device_that_stops_ends_its_note_and_is_told_once(monkeypatch):
    monkeypatch.setattr(listen, "STALL_S", 0.3)
    monkeypatch.setattr(listen, "RETRY_S", 0.2)
    queue = InputQueue(time.perf_counter)
    opened: list[StoppingCapture] = []

    def opener(blocks):
        if opened:
            raise AudioInputError("no audio input named 'fake mic'")
        opened.append(StoppingCapture(blocks))
        return opened[0]

    listener = AudioListener(opener, queue)
    try:
        got = collect(queue, lambda got: len(got) >= 2)
        time.sleep(1.0)
        reports = queue.take_reports()
    finally:
        listener.close()
    assert pitches(got) == [("note_on", 62), ("note_off", 62)]
    assert opened[0].closed
    assert sum("stopped sending" in r for r in reports) == 1
    assert sum("no audio input named" in r for r in reports) == 1  # retried, told once


def test_no_device_is_one_line_and_it_comes_when_plugged_in(monkeypatch):
    monkeypatch.setattr(listen, "RETRY_S", 0.1)
    queue = InputQueue(time.perf_counter)
    tries = []
    samples = render([Tone(67, 0.6, 0.3)], 1.2)

    def opener(blocks):
        tries.append(1)
        if len(tries) < 3:
            raise AudioInputError("no input device")
        return MemoryCapture(samples, RATE, blocks, no_wait, name="late mic")

    listener = AudioListener(opener, queue)
    try:
        got = collect(queue, lambda got: len(got) >= 2)
    finally:
        listener.close()
    reports = queue.take_reports()
    assert pitches(got) == [("note_on", 67), ("note_off", 67)]
    assert sum("no input device" in r for r in reports) == 1
    assert any("hearing late mic again" in r for r in reports)


def test_clipping_and_silence_are_told_once_each(monkeypatch):
    monkeypatch.setattr(listen, "SILENT_S", 0.2)
    loud = np.clip(4 * render([Tone(60, 0.6, 0.3)], 1.0, noise_db=-70.0), -1, 1)
    samples = np.concatenate([loud,
                              np.zeros(RATE)]).astype(np.float32)
    queue = InputQueue(time.perf_counter)
    listener = AudioListener(lambda blocks: MemoryCapture(samples, RATE, blocks, no_wait),
                             queue)
    try:
        collect(queue, lambda got: len(got) >= 2)
        time.sleep(0.5)
    finally:
        listener.close()
    reports = queue.take_reports()
    assert sum("clips" in r for r in reports) == 1
    assert sum("digital silence" in r for r in reports) == 1


class FakeMiniaudio:
    """miniaudio as far as ``DeviceCapture`` uses it; refuses the rates in ``refused``."""

    class MiniaudioError(Exception):
        pass

    class SampleFormat:
        FLOAT32 = "f32"

    def __init__(self, refused):
        fake = self

        class CaptureDevice:
            def __init__(self, sample_rate, **_):
                if sample_rate in refused:
                    raise fake.MiniaudioError("unsupported sample rate")
                self.sample_rate = sample_rate

            def start(self, generator):
                self.generator = generator

            def close(self):
                pass

        self.CaptureDevice = CaptureDevice


def test_a_device_refusing_48k_is_asked_for_44k1(monkeypatch):
    monkeypatch.setattr(capture, "_miniaudio", lambda: FakeMiniaudio({48000}))
    device = DeviceCapture(None, capture.Blocks(time.perf_counter))
    assert device.sample_rate == 44100


def test_a_device_refusing_every_rate_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(capture, "_miniaudio", lambda: FakeMiniaudio({48000, 44100}))
    with pytest.raises(AudioInputError, match="cannot be opened .48000 Hz: .*; 44100 Hz"):
        DeviceCapture(None, capture.Blocks(time.perf_counter))


def test_the_device_callback_only_queues_the_block():
    blocks = capture.Blocks(lambda: 1.5)
    feed = DeviceCapture._feed(blocks)
    next(feed)
    feed.send(np.zeros(256, dtype=np.float32).tobytes())
    assert blocks.wake.is_set()
    [(arrived, data)] = blocks.take()
    assert arrived == 1.5 and len(data) == 1024


def test_ports_lists_the_audio_inputs(monkeypatch, capsys):
    from live_jazz.cli import ports

    monkeypatch.setattr(ports, "resolve_api", lambda name: type("Api", (), {
        "display_name": "fake"})())
    monkeypatch.setattr(ports, "list_ports", lambda api: (["keys"], ["synth"]))
    monkeypatch.setattr(ports, "capture_devices", lambda: ["USB mic"])
    assert ports.run(type("Args", (), {"midi_api": "auto"})()) == 0
    out = capsys.readouterr().out
    assert "audio inputs (--audio-in):\n  USB mic" in out


def test_switching_the_source_ends_the_note_and_hears_the_new_one():
    def held(pitch: int):
        samples = render([Tone(pitch, 0.05, 30.0)], 30.1)  # held far longer than the test
        return lambda blocks: MemoryCapture(samples, RATE, blocks, no_wait, name=f"mic {pitch}")

    queue = InputQueue(time.perf_counter)
    listener = AudioListener(held(60), queue, listen.TrackerConfig(gate_db=-50.0))
    try:
        got = collect(queue, lambda got: len(got) >= 1)
        assert listener.meter_db > -30.0  # the meter follows the level
        listener.switch(held(67))
        got += collect(queue, lambda more: len(got + more) >= 3)
    finally:
        listener.close()
    assert pitches(got)[:3] == [("note_on", 60), ("note_off", 60), ("note_on", 67)]
    assert listener.name == "mic 67"
