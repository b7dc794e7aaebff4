import pytest

from live_jazz.theory import note_name, parse_pitch_class, pitch_class_name


@pytest.mark.parametrize(
    ("name", "pc"),
    [
        ("C", 0),
        ("C#", 1),
        ("Db", 1),
        ("D", 2),
        ("Eb", 3),
        ("E", 4),
        ("E#", 5),
        ("Fb", 4),
        ("F", 5),
        ("F#", 6),
        ("Gb", 6),
        ("G", 7),
        ("Ab", 8),
        ("A", 9),
        ("Bb", 10),
        ("B", 11),
        ("B#", 0),
        ("Cb", 11),
        ("C♯", 1),
        ("B♭", 10),
        ("Ebb", 2),
        ("F##", 7),
        ("bb", 10),
        (" G ", 7),
    ],
)
def test_parse_pitch_class(name: str, pc: int) -> None:
    assert parse_pitch_class(name) == pc


@pytest.mark.parametrize("name", ["", "H", "X", "C+", "Cm", "#", "Db7", "C b"])
def test_parse_pitch_class_rejects(name: str) -> None:
    with pytest.raises(ValueError):
        parse_pitch_class(name)


@pytest.mark.parametrize(
    ("pc", "flat", "sharp"),
    [
        (0, "C", "C"),
        (1, "Db", "C#"),
        (6, "Gb", "F#"),
        (10, "Bb", "A#"),
        (11, "B", "B"),
        (13, "Db", "C#"),
        (-2, "Bb", "A#"),
    ],
)
def test_pitch_class_name(pc: int, flat: str, sharp: str) -> None:
    assert pitch_class_name(pc) == flat
    assert pitch_class_name(pc, flats=False) == sharp


def test_pitch_class_names_round_trip() -> None:
    for pc in range(12):
        assert parse_pitch_class(pitch_class_name(pc)) == pc
        assert parse_pitch_class(pitch_class_name(pc, flats=False)) == pc


@pytest.mark.parametrize(
    ("midi", "name"),
    [(60, "C4"), (61, "Db4"), (69, "A4"), (59, "B3"), (0, "C-1"), (127, "G9"), (70, "Bb4")],
)
def test_note_name(midi: int, name: str) -> None:
    assert note_name(midi) == name


def test_note_name_sharps() -> None:
    assert note_name(61, flats=False) == "C#4"
