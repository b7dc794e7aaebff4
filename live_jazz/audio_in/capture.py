"""Where the microphone's blocks come from: a sound card's input (miniaudio) or a file in memory.

Both hand their blocks to ``Blocks.put``, and that is all the audio thread does: one append to
a bounded deque and one wake-up. The tracking happens on a worker thread of its own
(``listen.AudioListener``), never in the audio callback and never on the engine's timing
thread. ``MemoryCapture`` is a thread that hands over a block every block's worth of clock
time, as a device does: tests, benchmarks, and CI, which has no sound card.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from live_jazz.midi_io.backends import quiet_stderr

BLOCK_FRAMES = 256
"""Frames a device is asked for at a time (5.3 ms at 48 kHz)."""
RATES = (48000, 44100)
"""Sample rates asked of a device, in order (a device that refuses one is asked the next)."""
KEPT_BLOCKS = 400
"""Blocks waiting for the worker at most (about 2 s); older ones are dropped and counted."""


class AudioInputError(OSError):
    """No input device to hear (the message is one line)."""


class Blocks:
    """Blocks from the audio thread to the worker: ``(clock time it came, float32 mono)``."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.wake = threading.Event()
        self.received = 0
        """Blocks put since the start (the worker compares it with what it took)."""
        self._items: deque[tuple[float, Any]] = deque(maxlen=KEPT_BLOCKS)

    def put(self, data: Any) -> None:
        """From the audio thread: keep the block and wake the worker. Nothing else."""
        self._items.append((self.clock(), data))
        self.received += 1
        self.wake.set()

    def take(self) -> list[tuple[float, Any]]:
        """Every block waiting, oldest first (the worker)."""
        items = []
        while self._items:
            items.append(self._items.popleft())
        return items


class Capture(Protocol):
    """A source of blocks."""

    name: str
    sample_rate: int
    finished: bool
    """True once a source that ends (a file) has handed over everything."""

    def to_float(self, data: Any) -> np.ndarray: ...

    def close(self) -> None: ...


def _miniaudio() -> Any:
    try:
        with quiet_stderr():
            import miniaudio
    except ImportError:
        raise AudioInputError("hearing a microphone needs miniaudio: "
                              "pip install -e '.[synth]'") from None
    return miniaudio


def capture_devices() -> list[str]:
    """The names of the system's audio inputs (empty where there are none or no miniaudio)."""
    try:
        miniaudio = _miniaudio()
        with quiet_stderr():
            return [str(d["name"]) for d in miniaudio.Devices().get_captures()]
    except AudioInputError:
        return []
    except miniaudio.MiniaudioError:
        return []


class DeviceCapture:
    """A sound card's input through miniaudio: mono float32, ``RATES`` tried in order."""

    finished = False

    def __init__(self, device: str | None, blocks: Blocks, frames: int = BLOCK_FRAMES) -> None:
        miniaudio = _miniaudio()
        device_id, self.name = self._find(miniaudio, device)
        failures = []
        for rate in RATES:
            try:
                with quiet_stderr():
                    self._device = miniaudio.CaptureDevice(
                        input_format=miniaudio.SampleFormat.FLOAT32, nchannels=1,
                        sample_rate=rate, buffersize_msec=max(1, round(1000 * frames / rate)),
                        device_id=device_id, app_name="live-jazz")
            except miniaudio.MiniaudioError as error:
                failures.append(f"{rate} Hz: {error.args[0]}")
                continue
            self.sample_rate = rate
            break
        else:
            raise AudioInputError(f"audio input {self.name!r} cannot be opened "
                                  f"({'; '.join(failures)})")
        generator = self._feed(blocks)
        next(generator)
        try:
            with quiet_stderr():
                self._device.start(generator)
        except miniaudio.MiniaudioError as error:
            self._device.close()
            raise AudioInputError(f"audio input {self.name!r} did not start "
                                  f"({error.args[0]})") from None

    @staticmethod
    def _find(miniaudio: Any, device: str | None) -> tuple[Any, str]:
        """(miniaudio's id, name) of the input whose name holds ``device`` (None: default)."""
        if device is None:
            return None, "default input"
        try:
            with quiet_stderr():
                captures = miniaudio.Devices().get_captures()
        except miniaudio.MiniaudioError as error:
            raise AudioInputError(f"cannot list the audio inputs ({error.args[0]})") from None
        wanted = device.casefold()
        for found in captures:
            if wanted in str(found["name"]).casefold():
                return found["id"], str(found["name"])
        names = ", ".join(repr(str(c["name"])) for c in captures) or "none"
        raise AudioInputError(f"no audio input named {device!r} (there are: {names})")

    @staticmethod
    def _feed(blocks: Blocks) -> Any:
        while True:
            data = yield
            blocks.put(data)

    def to_float(self, data: Any) -> np.ndarray:
        return np.frombuffer(data, dtype=np.float32)

    def close(self) -> None:
        with quiet_stderr():
            self._device.close()


class MemoryCapture:
    """A recording handed over a block at a time on the clock, as a device would."""

    def __init__(self, samples: np.ndarray, sample_rate: int, blocks: Blocks,
                 sleep_until: Callable[[float], None], frames: int = BLOCK_FRAMES,
                 name: str = "memory") -> None:
        self.name = name
        self.sample_rate = sample_rate
        self.finished = False
        self._samples = np.asarray(samples, dtype=np.float32)
        self._blocks = blocks
        self._frames = frames
        self._sleep_until = sleep_until
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-jazz audio in",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        period = self._frames / self.sample_rate
        due = self._blocks.clock() + period
        for first in range(0, self._samples.size, self._frames):
            self._sleep_until(due)
            if self._stop.is_set():
                return
            self._blocks.put(self._samples[first:first + self._frames])
            due += period
        self.finished = True
        self._blocks.wake.set()

    def to_float(self, data: Any) -> np.ndarray:
        return np.asarray(data, dtype=np.float32)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
