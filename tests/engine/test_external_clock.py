"""The MIDI clock follower and sender, in pure time: no ports, no threads."""

from __future__ import annotations

from itertools import pairwise

import mido
import numpy as np
import pytest

from live_jazz.engine.external_clock import (
    PPQN,
    ClockFollower,
    ClockSender,
    TransportEvent,
)

CLOCK = mido.Message("clock")


def tick_times(bpm: float, n: int, start: float = 10.0, jitter_ms: float = 0.0, seed: int = 0
               ) -> list[float]:
    """Arrival times of ``n`` clock ticks at ``bpm``, each displaced by up to ``jitter_ms``."""
    rng = np.random.default_rng(seed)
    step = 60.0 / bpm / PPQN
    return [start + i * step + rng.uniform(-jitter_ms, jitter_ms) / 1000 for i in range(n)]


def feed_ticks(follower: ClockFollower, times: list[float]) -> list[TransportEvent]:
    return [e for t in times if (e := follower.feed(CLOCK, t)) is not None]


@pytest.mark.parametrize("bpm", [20.0, 92.0, 120.0, 240.0, 400.0])
def test_tempo_from_jittery_ticks(bpm: float):
    follower = ClockFollower()
    feed_ticks(follower, tick_times(bpm, 4 * PPQN, jitter_ms=1.0))
    assert follower.bpm == pytest.approx(bpm, rel=0.005)


def test_one_tick_of_jitter_barely_moves_the_tempo():
    follower = ClockFollower()
    times = tick_times(120.0, 3 * PPQN)
    feed_ticks(follower, times[:-1])
    follower.feed(CLOCK, times[-1] + 0.003)  # one tick 3 ms late: 14% of a tick
    assert follower.bpm == pytest.approx(120.0, rel=0.01)


def test_no_tempo_before_a_few_ticks():
    follower = ClockFollower()
    assert follower.bpm is None
    feed_ticks(follower, tick_times(120.0, 2))
    assert follower.bpm is None
    assert follower.tempo_to_follow(0.0, 10.1) is None


def test_tempo_change_is_followed_within_about_two_beats():
    follower = ClockFollower()
    first = tick_times(100.0, 4 * PPQN)
    feed_ticks(follower, first)
    step = 60.0 / 140.0 / PPQN
    second = [first[-1] + (i + 1) * step for i in range(2 * PPQN)]
    bpms = []
    for t in second:
        follower.feed(CLOCK, t)
        bpms.append(follower.bpm)
    assert bpms[0] < 105  # smooth: no jump on the first fast tick
    assert all(b2 >= b1 - 1e-9 for b1, b2 in pairwise(bpms))  # monotone, no overshoot
    assert bpms[-1] == pytest.approx(140.0, rel=0.001)


def test_a_paused_clock_restarts_the_fit():
    follower = ClockFollower()
    times = tick_times(120.0, 2 * PPQN)
    feed_ticks(follower, times)
    later = tick_times(60.0, 2 * PPQN, start=times[-1] + 5.0)
    feed_ticks(follower, later)
    assert follower.bpm == pytest.approx(60.0, rel=0.001)


def test_start_plays_from_the_top_on_the_first_tick():
    follower = ClockFollower()
    times = tick_times(120.0, 2 * PPQN)
    feed_ticks(follower, times[:PPQN])  # a stopped master's clock: tempo, no playing
    assert not follower.running
    assert follower.feed(mido.Message("start"), times[PPQN] - 0.005) is None
    event = follower.feed(CLOCK, times[PPQN])
    assert event == TransportEvent("start", 0.0, times[PPQN])
    assert follower.running
    feed_ticks(follower, times[PPQN + 1:])
    assert follower.position == pytest.approx((PPQN - 1) / PPQN)
    # Between ticks the position runs on along the tempo line.
    half_tick = 0.5 * 60.0 / 120.0 / PPQN
    assert follower.beat_at(times[-1] + half_tick) == pytest.approx(
        (PPQN - 0.5) / PPQN, abs=1e-6)


def test_stop_freezes_and_continue_resumes_where_it_stopped():
    follower = ClockFollower()
    times = tick_times(120.0, 3 * PPQN)
    follower.feed(mido.Message("start"), times[0] - 0.001)
    feed_ticks(follower, times[:PPQN + 6])  # a beat and a sixteenth
    stop = follower.feed(mido.Message("stop"), times[PPQN + 6] - 0.001)
    assert stop == TransportEvent("stop", (PPQN + 6) / PPQN, times[PPQN + 6] - 0.001)
    assert not follower.running
    feed_ticks(follower, times[PPQN + 6:2 * PPQN])  # clock goes on while stopped
    assert follower.beat_at(times[2 * PPQN]) == pytest.approx(1.25)
    follower.feed(mido.Message("continue"), times[2 * PPQN] - 0.001)
    event = follower.feed(CLOCK, times[2 * PPQN])
    assert event == TransportEvent("continue", 1.25, times[2 * PPQN])
    assert follower.running


def test_song_position_pointer_moves_where_continue_resumes():
    follower = ClockFollower()
    times = tick_times(120.0, 2 * PPQN)
    feed_ticks(follower, times[:PPQN])
    event = follower.feed(mido.Message("songpos", pos=34), times[PPQN] - 0.01)  # bar 3, beat 1.5
    assert event is not None and (event.kind, event.beat) == ("position", 8.5)
    follower.feed(mido.Message("continue"), times[PPQN] - 0.005)
    assert follower.feed(CLOCK, times[PPQN]) == TransportEvent("continue", 8.5, times[PPQN])
    feed_ticks(follower, times[PPQN + 1:PPQN + 13])
    assert follower.position == pytest.approx(8.5 + 12 / PPQN)


def test_other_messages_are_ignored():
    follower = ClockFollower()
    assert follower.feed(mido.Message("note_on", note=60), 1.0) is None
    assert follower.feed(mido.Message("stop"), 1.0) is None  # not running: nothing changes
    assert not follower.running and follower.position == 0.0


@pytest.mark.parametrize("phase_error", [-0.2, -0.05, 0.0, 0.05, 0.2])
def test_following_brings_the_local_beat_onto_the_masters(phase_error: float):
    """Simulate an engine that sets its tempo from ``tempo_to_follow`` every tick: it locks on
    to the master's position without jumping."""
    bpm = 120.0
    follower = ClockFollower()
    times = tick_times(bpm, 9 * PPQN, jitter_ms=0.5, seed=1)
    follower.feed(mido.Message("start"), times[0] - 0.001)
    local_beat = phase_error
    for previous, t in pairwise(times):
        follower.feed(CLOCK, previous)
        tempo = follower.tempo_to_follow(local_beat, previous) or bpm
        local_beat += (t - previous) * tempo / 60.0
    follower.feed(CLOCK, times[-1])
    assert local_beat == pytest.approx(follower.beat_at(times[-1]), abs=0.01)


def test_tempo_to_follow_stays_within_bounds():
    follower = ClockFollower()
    feed_ticks(follower, tick_times(300.0, PPQN))
    follower.feed(mido.Message("start"), 20.0)
    feed_ticks(follower, tick_times(300.0, PPQN, start=20.001))
    assert follower.tempo_to_follow(-10.0, 20.2) == 400.0  # far behind: as fast as allowed
    assert follower.tempo_to_follow(50.0, 20.2) == pytest.approx(150.0, rel=0.01)  # half


def test_sender_starts_from_the_top_with_start():
    sender = ClockSender()
    assert sender.start(0.0) == [(0.0, mido.Message("start"))]
    ticks = sender.ticks_until(1.0)
    assert [b for b, _ in ticks] == pytest.approx([i / PPQN for i in range(PPQN)])
    assert all(m.type == "clock" for _, m in ticks)
    assert sender.ticks_until(1.0) == []  # each tick handed out once
    assert len(sender.ticks_until(2.5)) == 36


def test_sender_resumes_mid_song_with_song_position_and_continue():
    sender = ClockSender()
    messages = sender.start(4.1)  # between sixteenths: the next one, beat 4.25
    assert messages == [(4.25, mido.Message("songpos", pos=17)),
                        (4.25, mido.Message("continue"))]
    assert sender.ticks_until(4.5)[0][0] == pytest.approx(4.25)
    assert sender.stop() == mido.Message("stop")
    assert not sender.running and sender.ticks_until(10.0) == []


def test_a_follower_follows_the_sender():
    """Master and follower agree on the song position (SPP in, the same position out)."""
    sender, follower = ClockSender(), ClockFollower()
    seconds_per_beat = 0.5
    for beat, message in [*sender.start(2.5), *sender.ticks_until(4.0)]:
        follower.feed(message, 100.0 + beat * seconds_per_beat)
    assert follower.running
    assert follower.bpm == pytest.approx(120.0)
    assert follower.position == pytest.approx(4.0 - 1 / PPQN)
