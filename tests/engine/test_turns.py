"""Turn-taking, the buffer's cuts and the listener's grid: pure bookkeeping, in ticks."""

from __future__ import annotations

import mido
import pytest

from live_jazz.engine.buffer import EventBuffer
from live_jazz.engine.call_response import CallDetector, TradeTurns
from live_jazz.engine.listener import MAX_HELD_BEATS, Listener, snap_played

BAR = 48


def test_trade_turns_alternate_from_the_origin_the_human_first():
    turns = TradeTurns(origin=96, bars=2, bar_ticks=BAR)
    assert turns.turn_at(96) == "listening" and turns.turn_at(96 + 2 * BAR - 1) == "listening"
    assert turns.turn_at(96 + 2 * BAR) == "answering"
    assert turns.turn_at(96 + 4 * BAR) == "listening"
    assert turns.next_change(100) == 96 + 2 * BAR
    assert turns.next_change(96 + 2 * BAR) == 96 + 4 * BAR
    answer = turns.answer_at(96 + 2 * BAR)
    assert (answer.call_start, answer.call_end, answer.start, answer.end) == (
        96, 192, 192, 288)


@pytest.mark.parametrize(
    ("press", "release", "answer_start", "answer_bars"),
    [
        ((6, 18, 30), 36, 48, 1),  # silence ends on the bar line (36 + 12): answer there
        ((6, 18, 30), 37, 96, 1),  # a tick later: the next bar line
        ((0, 30, 60), 66, 96, 2),  # a call of 66 ticks: two bars
        ((50,), 60, 96, 1),  # a short call: at least a bar
    ],
)
def test_call_ends_after_the_silence_and_the_answer_takes_its_length(press, release,
                                                                      answer_start,
                                                                      answer_bars):
    detector = CallDetector(silence_ticks=12, bar_ticks=BAR, origin=0)
    for tick in press:
        detector.press(tick)
        detector.release(min(tick + 5, release))
    detector.release(release)
    assert detector.silence_end() == release + 12
    assert detector.poll(release + 11, keys_down=0) is None
    assert detector.poll(release + 12, keys_down=1) is None  # a key still down
    answer = detector.poll(release + 12, keys_down=0)
    assert answer is not None
    assert answer.start == answer_start
    assert answer.end - answer.start == answer_bars * BAR
    assert detector.turn_at(answer.start) == "answering"
    detector.press(answer.start + 1)  # heard while answering: not a call
    assert detector.silence_end() is None
    assert detector.turn_at(answer.end) == "listening"


def test_buffer_cut_drops_later_notes_and_ends_sounding_ones_at_the_cut():
    buffer = EventBuffer()
    place = float
    early = buffer.push_note("improviser", 0, 30, place, 0, 60, 90)
    buffer.push_note("improviser", 24, 40, place, 0, 62, 90)
    buffer.push_note("comping", 30, 40, place, 1, 50, 64)
    buffer.pop()  # the first note-on has sounded
    assert buffer.cut("improviser", 24, 24.0) == 1
    left = []
    while len(buffer):
        item = buffer.pop()
        left.append((item.at, item.voice, item.message.type, item.note_id))
    assert left == [(24.0, "improviser", "note_off", early), (30.0, "comping", "note_on", 3),
                    (40.0, "comping", "note_off", 3)]


def test_buffer_plays_note_offs_before_note_ons_at_one_time():
    buffer = EventBuffer()
    buffer.push_note("improviser", 12, 24, float, 0, 60, 90)
    buffer.push_note("improviser", 0, 12, float, 0, 60, 90)
    order = [(buffer.peek().at, buffer.pop().message.type) for _ in range(4)]
    assert order == [(0, "note_on"), (12, "note_off"), (12, "note_on"), (24, "note_off")]


@pytest.mark.parametrize(
    ("played", "ratio", "tick"),
    [
        (6.2, 0.5, 6),  # straight eighth
        (8.0, 2 / 3, 6),  # a triplet-swung eighth is an eighth, not a triplet
        (8.9, 0.75, 6),  # hard swing: the and at 9
        (4.1, 0.5, 4),  # a triplet
        (11.7, 0.6, 12),  # late on the and of ... the next downbeat
        (3.2, 0.5, 3),  # a sixteenth
    ],
)
def test_snap_takes_the_swing_out(played, ratio, tick):
    assert snap_played(played, ratio) == tick


def test_listener_ignores_garbage_and_releases_stuck_keys():
    listener = Listener()
    assert listener.feed(0.0, mido.Message("sysex", data=[1])) == []
    assert listener.feed(0.0, mido.Message("note_off", note=60)) == []  # nothing held
    [on] = listener.feed(0.0, mido.Message("note_on", channel=3, note=60, velocity=80))
    assert on.note is None and listener.sounding == 1
    ended, again = listener.feed(0.5, mido.Message("note_on", channel=3, note=60, velocity=70))
    assert ended.note.end == 0.5 and again.message.velocity == 70  # the first ends there
    [off] = listener.feed(0.7, mido.Message("note_on", channel=3, note=60, velocity=0))
    assert off.note.onset == 0.5 and listener.sounding == 0
    listener.feed(1.0, mido.Message("note_on", note=64, velocity=80))
    assert listener.expire(1.0 + MAX_HELD_BEATS * 0.5 - 0.01, 0.5) == []
    stuck = listener.expire(1.0 + MAX_HELD_BEATS * 0.5 + 0.01, 0.5)
    assert [e.note.pitch for e in stuck] == [64] and listener.sounding == 0
