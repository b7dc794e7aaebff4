"""Raw bytes from a backend -> messages: running status, SysEx, real-time bytes, garbage."""

from __future__ import annotations

import mido
import numpy as np
import pytest

from live_jazz.midi_io.decode import MAX_SYSEX_BYTES, MidiDecoder


def note_on(note: int, velocity: int = 100, channel: int = 0) -> mido.Message:
    return mido.Message("note_on", note=note, velocity=velocity, channel=channel)


def test_whole_messages_pass_through():
    decoder = MidiDecoder()
    assert decoder.feed([0x91, 60, 100]) == [note_on(60, channel=1)]
    assert decoder.feed([0xE0, 0, 64]) == [mido.Message("pitchwheel", pitch=0)]
    assert decoder.feed([0xC2, 5]) == [mido.Message("program_change", channel=2, program=5)]
    assert decoder.garbage == 0


def test_running_status_reuses_the_last_channel_status():
    decoder = MidiDecoder()
    assert decoder.feed([0x90, 60, 100, 62, 90]) == [note_on(60), note_on(62, 90)]
    # ... across events too (one message per callback, the status only in the first).
    assert decoder.feed([64, 0]) == [note_on(64, 0)]
    assert decoder.garbage == 0


def test_real_time_bytes_inside_a_message_do_not_break_it():
    decoder = MidiDecoder()
    assert decoder.feed([0x90, 60, 0xF8, 100]) == [mido.Message("clock"), note_on(60)]


def test_sysex_is_dropped_by_default_and_kept_on_request():
    assert MidiDecoder().feed([0xF0, 0x7E, 1, 2, 0xF7, 0x90, 60, 100]) == [note_on(60)]
    kept = MidiDecoder(keep_sysex=True).feed([0xF0, 0x7E, 1, 2, 0xF7])
    assert kept == [mido.Message("sysex", data=[0x7E, 1, 2])]


def test_sysex_cancels_running_status():
    decoder = MidiDecoder()
    decoder.feed([0x90, 60, 100, 0xF0, 1, 0xF7])
    assert decoder.feed([62, 100]) == []
    assert decoder.garbage == 2


def test_oversized_and_broken_sysex_are_counted():
    decoder = MidiDecoder()
    assert decoder.feed([0xF0] + [1] * (MAX_SYSEX_BYTES + 10) + [0xF7]) == []
    assert decoder.garbage > MAX_SYSEX_BYTES
    decoder = MidiDecoder()
    assert decoder.feed([0xF0, 1, 2, 0x90, 60, 100]) == [note_on(60)]  # no F7: dropped
    assert decoder.garbage == 3


@pytest.mark.parametrize("garbage", [[60, 100], [0xF4, 0x90, 60, 100], [0xF7, 0x90, 60, 100],
                                     [0x90, 60, 0x80, 60, 0], [0xF9, 0x90, 60, 100]])
def test_garbage_is_skipped_and_counted(garbage: list[int]):
    decoder = MidiDecoder()
    messages = decoder.feed(garbage)
    assert decoder.garbage > 0
    assert all(m.type in ("note_on", "note_off") for m in messages)


def test_random_bytes_never_raise():
    decoder = MidiDecoder(keep_sysex=True)
    rng = np.random.default_rng(0)
    for _ in range(200):
        for message in decoder.feed(rng.integers(0, 256, rng.integers(1, 40)).tolist()):
            assert isinstance(message, mido.Message)
    assert decoder.feed([300, -1, "x"]) == []  # type: ignore[list-item]
