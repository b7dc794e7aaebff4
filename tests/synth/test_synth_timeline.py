"""Sample-accurate rendering of timed messages, on a fake voice (no FluidSynth needed)."""

from __future__ import annotations

import mido
import numpy as np
import pytest

from live_jazz.synth.timeline import RESYNC_SECONDS, BlockClock, EventTimeline

RATE = 1000


class FakeVoice:
    """Counts the samples rendered and notes the sample each message was applied at."""

    sample_rate = RATE

    def __init__(self) -> None:
        self.position = 0
        self.applied: list[tuple[int, mido.Message]] = []

    def render(self, frames: int) -> np.ndarray:
        self.position += frames
        return np.zeros(2 * frames, dtype=np.int16)

    def apply(self, message: mido.Message) -> None:
        self.applied.append((self.position, message))


def note(pitch: int) -> mido.Message:
    return mido.Message("note_on", note=pitch, velocity=90)


def test_messages_play_at_their_own_sample_across_blocks():
    voice = FakeVoice()
    timeline = EventTimeline(voice, keep_placed=True)  # type: ignore[arg-type]
    for time, pitch in ((0.0123, 60), (0.0500, 62), (0.0999, 64), (0.1000, 65)):
        timeline.push(time, note(pitch))
    blocks = [timeline.render(start / RATE, 32) for start in range(0, 128, 32)]
    assert [len(b) for b in blocks] == [64] * 4
    assert [(at, m.note) for at, m in voice.applied] == [(12, 60), (50, 62), (100, 64), (100, 65)]
    assert timeline.late == 0 and timeline.pending == 0


def test_a_message_after_its_block_plays_at_the_next_block_start_and_counts_late():
    voice = FakeVoice()
    timeline = EventTimeline(voice)  # type: ignore[arg-type]
    timeline.render(0.0, 32)
    timeline.push(0.010, note(60))  # its block (0-32 ms) is gone
    timeline.render(0.032, 32)
    assert voice.applied[0][0] == 32 and timeline.late == 1


def test_a_message_beyond_the_block_waits():
    voice = FakeVoice()
    timeline = EventTimeline(voice)  # type: ignore[arg-type]
    timeline.push(0.040, note(60))
    timeline.render(0.0, 32)
    assert voice.applied == [] and timeline.pending == 1
    timeline.render(0.032, 32)
    assert voice.applied[0][0] == 40


def test_block_clock_covers_the_last_buffer_and_follows_early_callbacks_fast():
    clock = BlockClock(RATE)
    assert clock.block(1.000, 10) == pytest.approx(0.990)
    assert clock.block(1.010, 10) == pytest.approx(1.000)
    late = clock.block(1.0205, 10)  # 0.5 ms late: the clock barely moves
    assert late == pytest.approx(1.010, abs=1e-5)
    early = clock.block(1.029, 10)  # about 1 ms early: it moves half way at once
    assert early < 1.020 - 0.0004
    assert clock.resyncs == 1


def test_block_clock_restarts_after_a_stall():
    clock = BlockClock(RATE)
    clock.block(1.0, 10)
    assert clock.block(1.0 + RESYNC_SECONDS * 3, 10) == pytest.approx(0.99 + RESYNC_SECONDS * 3)
    assert clock.resyncs == 2
