import pytest

from live_jazz.encoding.values import (
    DURATIONS,
    MOTIONS,
    START,
    Role,
    Value,
    motion_distance,
    motion_of,
    split_duration,
)


@pytest.mark.parametrize(
    ("interval", "name"),
    [(0, "0"), (1, "+1"), (-2, "-2"), (3, "+3"), (-4, "-4"), (5, "+5"), (7, "+6..7"),
     (-12, "-8..12"), (13, "+13..24"), (40, "+13..24"), (-30, "-13..24"), (None, "start")],
)
def test_motion_of_bins_intervals(interval, name):
    assert motion_of(interval).name == name


def test_motion_classes_cover_every_interval_once():
    for interval in range(-24, 25):
        assert sum(m.contains(interval) for m in MOTIONS) == 1


def test_motion_distance_is_ordered():
    assert motion_distance(motion_of(1), motion_of(2)) == 1
    assert motion_distance(motion_of(-1), motion_of(1)) == 2
    assert motion_distance(START, motion_of(0)) == 4


@pytest.mark.parametrize(
    "value",
    [Value(6, Role.CHORD, motion_of(2)), Value(12), Value(4, Role.OUTSIDE, motion_of(-9)),
     Value(48, Role.APPROACH, START)],
)
def test_token_round_trip(value):
    assert Value.from_token(value.token) == value


@pytest.mark.parametrize("token", ["", "R", "R:11", "C:+2", "Q:+2:6", "C:+99:6", "C:+2:x"])
def test_bad_tokens_are_rejected(token):
    with pytest.raises(ValueError):
        Value.from_token(token)


def test_a_value_must_be_note_or_rest():
    with pytest.raises(ValueError):
        Value(6, Role.CHORD, None)
    with pytest.raises(ValueError):
        Value(11)


@pytest.mark.parametrize("ticks", [0, 1, 5, 7, 13, 47, 48, 49, 100, 500])
def test_split_duration_is_exact_and_on_grid(ticks):
    parts = split_duration(ticks)
    assert sum(parts) == ticks
    assert all(p in DURATIONS for p in parts)
