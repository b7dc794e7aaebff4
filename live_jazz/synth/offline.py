"""Offline rendering: timed messages -> audio through the same timeline and voice as live, as
fast as the synthesizer goes; and the WAV file it is written to.

The rendering goes on after the last message until every voice has rung out (released notes
fade by their soundfont envelope; reverb tails included), so nothing is cut at the end, and at
most ``MAX_TAIL_SECONDS`` after it, so nothing hangs.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterable
from pathlib import Path

import mido
import numpy as np

from live_jazz.files import write_atomically
from live_jazz.synth.timeline import EventTimeline
from live_jazz.synth.voice import Voice

BLOCK_FRAMES = 4096
"""Frames rendered at a time offline (messages still land on their own sample)."""
MAX_TAIL_SECONDS = 4.0
"""Rendering stops this long after the last message even if a voice still sounds."""
SILENCE = 8
"""Peak (of 32767) under which the tail counts as silent."""


def render(voice: Voice, events: Iterable[tuple[float, mido.Message]],
           timeline: EventTimeline | None = None) -> np.ndarray:
    """Render ``events`` (seconds from the start, message) to int16 stereo, shape (frames, 2).
    ``timeline`` (optional) is the one to render through, e.g. one that keeps ``placed``."""
    timeline = timeline or EventTimeline(voice)
    ordered = sorted(events, key=lambda item: item[0])
    for time, message in ordered:
        timeline.push(time, message)
    rate = voice.sample_rate
    last = ordered[-1][0] if ordered else 0.0
    blocks = []
    while True:
        start = timeline.rendered / rate
        block = timeline.render(start, BLOCK_FRAMES)
        blocks.append(block)
        end = timeline.rendered / rate
        if end > last and not timeline.pending:
            quiet = int(np.abs(block).max(initial=0)) <= SILENCE
            if (voice.sounding == 0 and quiet) or end > last + MAX_TAIL_SECONDS:
                break
    return np.concatenate(blocks).reshape(-1, 2)


def midi_events(data: bytes) -> list[tuple[float, mido.Message]]:
    """The channel messages of a standard MIDI file, at their seconds from the start (its tempo
    map applied), in the file's order."""
    events = []
    now = 0.0
    for message in mido.MidiFile(file=io.BytesIO(data)):
        now += message.time
        if not message.is_meta and hasattr(message, "channel"):
            events.append((now, message.copy(time=0)))
    return events


def write_wav(path: Path, audio: np.ndarray, sample_rate: int) -> None:
    """Write int16 stereo ``audio`` to ``path`` atomically, mode as any file the user makes."""
    data = io.BytesIO()
    with wave.open(data, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(np.ascontiguousarray(audio, dtype="<i2").tobytes())
    write_atomically(Path(path), data.getvalue())
