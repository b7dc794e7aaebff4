"""Where the rendered blocks go: the default audio device (miniaudio), or memory.

Both drive the same callback (``AudioPath.callback``): the block clock says when the block's
first sample sounds, the timeline renders it. ``MemoryOutput`` is a thread that asks for blocks
on the clock as a device would: benchmarks and tests, and CI, which has no sound card.

miniaudio (the ``synth`` extra) carries its own audio code in the wheel and finds the system's
(WASAPI, CoreAudio, PulseAudio, ALSA, JACK) at run time: nothing to install besides it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import numpy as np

from live_jazz.command import install_hint
from live_jazz.midi_io.backends import quiet_stderr
from live_jazz.synth.timeline import BlockClock, EventTimeline

log = logging.getLogger(__name__)

BUFFER_FRAMES = 256
"""Frames the device is asked for at a time: 5.3 ms at 48 kHz, the voice's latency."""


class AudioDeviceError(OSError):
    """No audio device to play on."""


@dataclass
class AudioPath:
    """The callback shared by every output: block clock -> timeline -> samples."""

    timeline: EventTimeline
    """What to render."""
    now: Callable[[], float]
    """The engine's clock."""
    blocks: list[tuple[int, float]] | None = None
    """(first sample, callback time) of every block, if kept (benchmarks)."""
    failures: int = 0
    """Callbacks that failed (silence was played instead)."""
    clock: BlockClock = field(init=False)

    def __post_init__(self) -> None:
        self.clock = BlockClock(self.timeline.voice.sample_rate)

    def callback(self, frames: int) -> np.ndarray:
        """The next ``frames`` samples (int16 interleaved stereo). Never raises: a failure
        is logged once and played as silence (an exception must not reach the audio thread)."""
        now = self.now()
        first = self.timeline.rendered
        try:
            samples = self.timeline.render(self.clock.block(now, frames), frames)
        except Exception as error:  # noqa: BLE001 - the audio thread must go on
            self.failures += 1
            if self.failures == 1:
                log.warning("built-in voice: rendering failed (%s)", error)
            self.timeline.rendered = first + frames
            samples = np.zeros(2 * frames, dtype=np.int16)
        if self.blocks is not None:
            self.blocks.append((first, now))
        return samples


class DeviceOutput:
    """The system's default audio device, through miniaudio."""

    def __init__(self, path: AudioPath, frames: int = BUFFER_FRAMES) -> None:
        try:
            with quiet_stderr():
                import miniaudio
        except ImportError:
            raise AudioDeviceError("the built-in voice needs miniaudio: "
                                   + install_hint("synth")) from None
        self.path = path
        rate = path.timeline.voice.sample_rate
        try:
            with quiet_stderr():
                self._device = miniaudio.PlaybackDevice(
                    output_format=miniaudio.SampleFormat.SIGNED16, nchannels=2,
                    sample_rate=rate, buffersize_msec=max(1, round(1000 * frames / rate)),
                    app_name="live-jazz")
                self._generator = self._blocks()
                next(self._generator)
                self._device.start(self._generator)
        except miniaudio.MiniaudioError as error:
            raise AudioDeviceError(f"no audio device to play on ({error.args[0]})") from None
        self.name = f"{self._device.backend} {self._device.name}".strip()

    def _blocks(self) -> Generator[bytes, int, None]:
        frames = yield b""
        while True:
            frames = yield self.path.callback(frames).tobytes()

    def close(self) -> None:
        self._device.close()


class MemoryOutput:
    """A thread that asks for a block every buffer's worth of clock time, as a device does,
    and keeps what it gets (``audio()``)."""

    def __init__(self, path: AudioPath, sleep_until: Callable[[float], None],
                 frames: int = BUFFER_FRAMES, keep: bool = True) -> None:
        self.path = path
        self.name = "memory"
        self.frames = frames
        self._sleep_until = sleep_until
        self._keep = keep
        self._chunks: list[np.ndarray] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-jazz audio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        period = self.frames / self.path.timeline.voice.sample_rate
        due = self.path.now() + period
        while not self._stop.is_set():
            self._sleep_until(due)
            block = self.path.callback(self.frames)
            if self._keep:
                self._chunks.append(block)
            due += period

    def audio(self) -> np.ndarray:
        """Everything rendered so far: int16, shape (frames, 2)."""
        chunks = list(self._chunks)
        data = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return data.reshape(-1, 2)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
