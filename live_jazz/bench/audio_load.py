"""``bench timing --audio-in FILE``: the engine's timing again with the microphone tracker
hearing a recording all along (through the live path: memory capture, worker thread, input
queue), to show that its Python work does not take the timing thread's turn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from live_jazz.audio_in.capture import MemoryCapture
from live_jazz.audio_in.listen import AudioListener
from live_jazz.audio_in.wavfile import AudioFileError, read_audio
from live_jazz.bench import Figures
from live_jazz.command import CliError
from live_jazz.engine.clock import SystemClock
from live_jazz.midi_io.ports import InputQueue

COMPARED = ("p50_ms", "p99_ms", "max_ms", "late_events", "answer_offset_max_ms")
"""The figures shown side by side, without and with the tracker."""


def looped_recording(path: Path, duration: float) -> tuple[np.ndarray, int]:
    """The recording at ``path``, looped to last ``duration`` seconds and a little more."""
    try:
        samples, rate = read_audio(path)
    except AudioFileError as error:
        raise CliError(str(error)) from None
    return np.tile(samples, int((duration + 5.0) * rate / samples.size) + 1), rate


def hear_recording(audio: tuple[np.ndarray, int], queue: InputQueue,
                   now: Callable[[], float]) -> AudioListener:
    """The tracker hearing ``audio`` on the clock, its notes into ``queue``."""
    samples, rate = audio
    sleep = SystemClock(spin=0.0).sleep_until
    return AudioListener(lambda blocks: MemoryCapture(samples, rate, blocks, sleep),
                         queue, clock=now)


def describe_with_audio(figures: Figures) -> list[str]:
    """Lines comparing the run without and with the tracker (none without ``--audio-in``)."""
    other = figures.get("with_audio_in")
    if other is None:
        return []
    lines = [f"  with the microphone tracker hearing a recording all along "
             f"({other.get('audio_notes_heard', 0)} notes heard): without -> with"]
    for name in COMPARED:
        if name in figures and name in other:
            lines.append(f"  {name:32s} {figures[name]:10.4f} -> {other[name]:.4f}")
    return lines
