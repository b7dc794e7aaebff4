import pytest

from live_jazz.theory import ChordTimeline, parse_chord

DM7, G7, CMAJ7 = parse_chord("Dm7"), parse_chord("G7"), parse_chord("Cmaj7")


def make(loop: int | None = 32) -> ChordTimeline:
    return ChordTimeline(changes=((0, DM7), (8, G7), (16, CMAJ7)), loop_ticks=loop)


@pytest.mark.parametrize(
    ("tick", "chord"),
    [
        (-5, DM7),
        (0, DM7),
        (7, DM7),
        (8, G7),
        (15, G7),
        (16, CMAJ7),
        (31, CMAJ7),
        (32, DM7),
        (40, G7),
        (32 * 5 + 17, CMAJ7),
    ],
)
def test_chord_at_looping(tick: int, chord: object) -> None:
    assert make().chord_at(tick) == chord


def test_chord_at_without_loop_holds_last_chord() -> None:
    timeline = make(loop=None)
    assert timeline.chord_at(-1) == DM7
    assert timeline.chord_at(16) == CMAJ7
    assert timeline.chord_at(10_000) == CMAJ7


@pytest.mark.parametrize(
    ("tick", "expected"),
    [
        (-3, (0, DM7)),
        (0, (8, G7)),
        (7, (8, G7)),
        (8, (16, CMAJ7)),
        (16, (32, DM7)),
        (31, (32, DM7)),
        (32, (40, G7)),
        (47, (48, CMAJ7)),
    ],
)
def test_next_change_after_looping(tick: int, expected: tuple[int, object]) -> None:
    assert make().next_change_after(tick) == expected


def test_next_change_after_without_loop() -> None:
    timeline = make(loop=None)
    assert timeline.next_change_after(3) == (8, G7)
    assert timeline.next_change_after(16) is None
    assert timeline.next_change_after(100) is None


def test_single_chord_loop_restarts_form() -> None:
    timeline = ChordTimeline(changes=((0, DM7),), loop_ticks=16)
    assert timeline.chord_at(100) == DM7
    assert timeline.next_change_after(5) == (16, DM7)


@pytest.mark.parametrize(
    ("changes", "loop"),
    [
        ((), None),
        (((4, DM7),), None),
        (((0, DM7), (8, G7), (8, CMAJ7)), None),
        (((0, DM7), (8, G7), (4, CMAJ7)), None),
        (((0, DM7), (8, G7)), 8),
    ],
)
def test_invalid_timelines(changes: tuple, loop: int | None) -> None:
    with pytest.raises(ValueError):
        ChordTimeline(changes=changes, loop_ticks=loop)


def test_timeline_is_frozen_and_comparable() -> None:
    assert make() == make()
    assert hash(make()) == hash(make())
    with pytest.raises(AttributeError):
        make().loop_ticks = 3  # type: ignore[misc]
