"""Pitch classes and note names: integers 0-11 (C = 0) and MIDI note numbers."""

from __future__ import annotations

_LETTERS: dict[str, int] = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

# Unicode accidentals show up in pasted lead sheets; fold them to ASCII.
ACCIDENTALS: dict[str, int] = {"#": 1, "♯": 1, "b": -1, "♭": -1}

_FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def parse_pitch_class(name: str) -> int:
    """Return the pitch class 0-11 of a note name such as 'C', 'F#', 'Bb', 'B#' or 'Fb'.

    The letter may be upper or lower case; any number of '#'/'b' (or '♯'/'♭') may follow,
    so enharmonic spellings ('B#' = 0, 'Cb' = 11, 'Ebb' = 2) all work.
    Raises ValueError for anything else.
    """
    text = name.strip()
    if not text or text[0].upper() not in _LETTERS:
        raise ValueError(f"unknown pitch class {name!r}")
    pc = _LETTERS[text[0].upper()]
    for char in text[1:]:
        if char not in ACCIDENTALS:
            raise ValueError(f"unknown pitch class {name!r}")
        pc += ACCIDENTALS[char]
    return pc % 12


def pitch_class_name(pc: int, flats: bool = True) -> str:
    """Return the name of pitch class `pc` (taken modulo 12), spelled with flats or sharps."""
    return (_FLAT_NAMES if flats else _SHARP_NAMES)[pc % 12]


def note_name(midi: int, flats: bool = True) -> str:
    """Return the scientific name of a MIDI note number, with middle C (60) as 'C4'."""
    return f"{pitch_class_name(midi, flats)}{midi // 12 - 1}"
