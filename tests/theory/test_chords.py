import dataclasses
import re

import pytest

from live_jazz.theory import NO_CHORD, SCALES, Chord, ChordSymbolError, parse_chord

# symbol -> (root, quality, tones)
SPELLINGS: dict[str, tuple[int, str, tuple[int, ...]]] = {
    "C": (0, "maj", (0, 4, 7)),
    "Cm": (0, "min", (0, 3, 7)),
    "Cmi": (0, "min", (0, 3, 7)),
    "Cmin": (0, "min", (0, 3, 7)),
    "C-": (0, "min", (0, 3, 7)),
    "C7": (0, "dom", (0, 4, 7, 10)),
    "Cm7": (0, "min", (0, 3, 7, 10)),
    "C-7": (0, "min", (0, 3, 7, 10)),
    "Cmin7": (0, "min", (0, 3, 7, 10)),
    "Cmaj7": (0, "maj", (0, 4, 7, 11)),
    "CM7": (0, "maj", (0, 4, 7, 11)),
    "CΔ7": (0, "maj", (0, 4, 7, 11)),
    "CΔ": (0, "maj", (0, 4, 7, 11)),
    "Cj7": (0, "maj", (0, 4, 7, 11)),
    "C6": (0, "maj", (0, 4, 7, 9)),
    "Cm6": (0, "min", (0, 3, 7, 9)),
    "C-6": (0, "min", (0, 3, 7, 9)),
    "C69": (0, "maj", (0, 2, 4, 7, 9)),
    "C6/9": (0, "maj", (0, 2, 4, 7, 9)),
    "Cm7b5": (0, "halfdim", (0, 3, 6, 10)),
    "Cø": (0, "halfdim", (0, 3, 6, 10)),
    "Cø7": (0, "halfdim", (0, 3, 6, 10)),
    "Cdim": (0, "dim", (0, 3, 6)),
    "Co": (0, "dim", (0, 3, 6)),
    "Cdim7": (0, "dim", (0, 3, 6, 9)),
    "Co7": (0, "dim", (0, 3, 6, 9)),
    "C°7": (0, "dim", (0, 3, 6, 9)),
    "C+": (0, "aug", (0, 4, 8)),
    "Caug": (0, "aug", (0, 4, 8)),
    "C+7": (0, "dom", (0, 4, 8, 10)),
    "C7#5": (0, "dom", (0, 4, 8, 10)),
    "C7+5": (0, "dom", (0, 4, 8, 10)),
    "C7b5": (0, "dom", (0, 4, 6, 10)),
    "C7b9": (0, "dom", (0, 1, 4, 7, 10)),
    "C7#9": (0, "dom", (0, 3, 4, 7, 10)),
    "C7#11": (0, "dom", (0, 4, 6, 7, 10)),
    "C7b13": (0, "dom", (0, 4, 7, 8, 10)),
    "C7#9b13": (0, "dom", (0, 3, 4, 7, 8, 10)),
    "C7b9b13": (0, "dom", (0, 1, 4, 7, 8, 10)),
    "C7alt": (0, "dom", (0, 3, 4, 8, 10)),
    "Csus": (0, "sus", (0, 5, 7)),
    "Csus4": (0, "sus", (0, 5, 7)),
    "Csus2": (0, "sus", (0, 2, 7)),
    "C7sus": (0, "sus", (0, 5, 7, 10)),
    "C7sus4": (0, "sus", (0, 5, 7, 10)),
    "C9sus": (0, "sus", (0, 2, 5, 7, 10)),
    "C9": (0, "dom", (0, 2, 4, 7, 10)),
    "C11": (0, "dom", (0, 2, 4, 5, 7, 10)),
    "C13": (0, "dom", (0, 2, 4, 7, 9, 10)),
    "C13b9": (0, "dom", (0, 1, 4, 7, 9, 10)),
    "C9#11": (0, "dom", (0, 2, 4, 6, 7, 10)),
    "C7(b9)": (0, "dom", (0, 1, 4, 7, 10)),
    "C7(b9,#11)": (0, "dom", (0, 1, 4, 6, 7, 10)),
    "C7(b9, #11)": (0, "dom", (0, 1, 4, 6, 7, 10)),
    "Cm9": (0, "min", (0, 2, 3, 7, 10)),
    "Cm11": (0, "min", (0, 2, 3, 5, 7, 10)),
    "Cmaj9": (0, "maj", (0, 2, 4, 7, 11)),
    "Cmaj7#11": (0, "maj", (0, 4, 6, 7, 11)),
    "CmMaj7": (0, "min", (0, 3, 7, 11)),
    "Cm(maj7)": (0, "min", (0, 3, 7, 11)),
    "C-j7": (0, "min", (0, 3, 7, 11)),
    "Cadd9": (0, "maj", (0, 2, 4, 7)),
    "F#m7": (6, "min", (0, 3, 7, 10)),
    "Bbmaj7": (10, "maj", (0, 4, 7, 11)),
    "Ebm7b5": (3, "halfdim", (0, 3, 6, 10)),
    "Abo7": (8, "dim", (0, 3, 6, 9)),
    "Db7#9": (1, "dom", (0, 3, 4, 7, 10)),
    "Gbmaj7": (6, "maj", (0, 4, 7, 11)),
    "C#ø": (1, "halfdim", (0, 3, 6, 10)),
    "B♭7": (10, "dom", (0, 4, 7, 10)),
    "  G7  ": (7, "dom", (0, 4, 7, 10)),
    # WJazzD: accidentals after the number, extensions written out in ascending order.
    "C79b": (0, "dom", (0, 1, 4, 7, 10)),
    "C79#": (0, "dom", (0, 3, 4, 7, 10)),
    "C7911#": (0, "dom", (0, 2, 4, 6, 7, 10)),
    "C7913": (0, "dom", (0, 2, 4, 7, 9, 10)),
    "C79b13": (0, "dom", (0, 1, 4, 7, 9, 10)),
    "C79b13b": (0, "dom", (0, 1, 4, 7, 8, 10)),
    "C7913b": (0, "dom", (0, 2, 4, 7, 8, 10)),
    "C79#11#": (0, "dom", (0, 3, 4, 6, 7, 10)),
    "Cj7911#": (0, "maj", (0, 2, 4, 6, 7, 11)),
    "C6911#": (0, "maj", (0, 2, 4, 6, 7, 9)),
    "Csus7": (0, "sus", (0, 5, 7, 10)),
    "Csus7913": (0, "sus", (0, 2, 5, 7, 9, 10)),
    "C+79#": (0, "dom", (0, 3, 4, 8, 10)),
    "C+j7": (0, "maj", (0, 4, 8, 11)),
    "C-7911": (0, "min", (0, 2, 3, 5, 7, 10)),
    "C-79b": (0, "min", (0, 1, 3, 7, 10)),
    "C-j7913": (0, "min", (0, 2, 3, 7, 9, 11)),
}


@pytest.mark.parametrize(("symbol", "expected"), SPELLINGS.items())
def test_spellings(symbol: str, expected: tuple[int, str, tuple[int, ...]]) -> None:
    chord = parse_chord(symbol)
    assert (chord.root, chord.quality, chord.tones) == expected
    assert chord.symbol == symbol.strip()
    assert chord.bass is None


# symbol -> name of the expected chord scale
SCALE_CHOICES: dict[str, str] = {
    "C": "ionian",
    "C6": "ionian",
    "C69": "ionian",
    "Cmaj7": "ionian",
    "Cmaj7#11": "lydian",
    "C6911#": "lydian",
    "Cmaj7#5": "lydian augmented",
    "C+": "whole tone",
    "C7": "mixolydian",
    "C9": "mixolydian",
    "C13": "mixolydian",
    "C7#11": "lydian dominant",
    "C9#11": "lydian dominant",
    "C7b9": "half-whole diminished",
    "C13b9": "half-whole diminished",
    "C7b9#11": "half-whole diminished",
    "C7b13": "mixolydian b13",
    "C7b9b13": "phrygian dominant",
    "C7alt": "altered",
    "C7#5": "altered",
    "C+7": "altered",
    "C7b5": "altered",
    "C9#5": "whole tone",
    "Csus": "mixolydian",
    "C7sus4": "mixolydian",
    "C9sus4": "mixolydian",
    "Cm": "dorian",
    "Cm7": "dorian",
    "Cm9": "dorian",
    "Cm11": "dorian",
    "Cm6": "melodic minor",
    "CmMaj7": "melodic minor",
    "Cm7b5": "locrian #2",
    "Cdim": "whole-half diminished",
    "Cdim7": "whole-half diminished",
}


@pytest.mark.parametrize(("symbol", "scale_name"), SCALE_CHOICES.items())
def test_chord_scales(symbol: str, scale_name: str) -> None:
    assert parse_chord(symbol).scale == SCALES[scale_name]


def test_sharp_nine_keeps_its_fifth_over_the_altered_scale() -> None:
    # C7#9 has a perfect fifth the altered scale lacks: altered plus G.
    assert parse_chord("C7#9").scale == (0, 1, 3, 4, 6, 7, 8, 10)


def test_absolute_pitch_classes() -> None:
    chord = parse_chord("Eb7")
    assert chord.pitch_classes() == frozenset({3, 7, 10, 1})
    assert chord.scale_pitch_classes() == frozenset({3, 5, 7, 8, 10, 0, 1})
    assert parse_chord("Bbmaj7").pitch_classes() == frozenset({10, 2, 5, 9})


@pytest.mark.parametrize(
    ("symbol", "root", "bass", "tones"),
    [
        ("C7/E", 0, 4, (0, 4, 7, 10)),
        ("Cm7/Bb", 0, 10, (0, 3, 7, 10)),
        ("C/G", 0, 7, (0, 4, 7)),
        ("F#m7/C#", 6, 1, (0, 3, 7, 10)),
        ("C-69/Db", 0, 1, (0, 2, 3, 7, 9)),
        ("Cj7911#/Ab", 0, 8, (0, 2, 4, 6, 7, 11)),
    ],
)
def test_slash_chords(symbol: str, root: int, bass: int, tones: tuple[int, ...]) -> None:
    chord = parse_chord(symbol)
    assert (chord.root, chord.bass, chord.tones) == (root, bass, tones)


@pytest.mark.parametrize("symbol", ["NC", "N.C.", " NC ", "nc"])
def test_no_chord(symbol: str) -> None:
    chord = parse_chord(symbol)
    assert chord == NO_CHORD
    assert chord.is_no_chord
    assert chord.root is None and chord.quality == "none"
    assert chord.pitch_classes() == frozenset() == chord.scale_pitch_classes()


def test_a_real_chord_is_not_no_chord() -> None:
    assert not parse_chord("C").is_no_chord


# Every chord suffix found in the Weimar Jazz Database CSVs.
WJAZZD_SUFFIXES = (
    "o -7 7 j7 - o7 m7b5 7913  79b 7alt 7911# +7 sus7 -6 79 79# 6 j7911# -7911 -79 /C 69 /G "
    "sus sus79 sus7913 -j7 79b13 /F +79# /Ab 7/G 7/D /B j79 -7/Bb /D 7913b 7/F# +j7 -/C /A "
    "79#13 79b13b /Eb /Bb 7/B -6/Eb +79 -7/F 79#11# -/Ab +/Ab -/G /E NC 7/D# 7/C 6/A -/C# "
    "6/G 79b/B 6911# j7/A j7/B 7/E + /F# 6/D -7/Gb -7/Eb 6/Bb -/F -79b -/Db -69 j79# +/C "
    "j7/A# j7/D# +7911# -6/C -/Bb j7911#/C -j7913 -j7911# 79/C +j7/C -7913 sus/A -79/Ab "
    "79/Ab -7/Ab 7/Eb 7/Ab -/Eb j79#11# 7/A -7/C 6/C j7911#/Ab -69/Ab -69/Db -7/D +79b"
).split(" ")
ROOTS = ("C", "F#", "Bb", "Eb", "B")


def test_wjazzd_suffix_list_is_complete() -> None:
    assert len(WJAZZD_SUFFIXES) == 106
    assert "" in WJAZZD_SUFFIXES


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize("suffix", WJAZZD_SUFFIXES)
def test_every_wjazzd_suffix_parses(root: str, suffix: str) -> None:
    # NC is written without a root in the corpus; after a root it would be C + 'NC'.
    symbol = suffix if suffix == "NC" else root + suffix
    chord = parse_chord(symbol)
    if suffix == "NC":
        assert chord.is_no_chord
        return
    assert chord.root == parse_chord(root).root
    assert chord.quality != "none"
    if "/" in suffix:
        assert chord.bass is not None


LEAD_SHEET_SYMBOLS = (
    tuple(SPELLINGS)
    + tuple(SCALE_CHOICES)
    + (
        "C7/E",
        "Cm7/Bb",
        "C/G",
        "C7#9#11",
        "C7b9#9",
        "C7#9#11b13",
        "Cm7#11",
        "Cm(b6)",
        "C7sus4b9",
        "Cmaj7sus4",
        "Cdim(maj7)",
        "Cm7b5b9",
        "C9b5",
        "Cmaj7b5",
        "C(b5)",
        "C13#11",
        "C13#9",
        "C7(13)",
        "C-j7911#",
        "Cj79#11#",
        "C+7911#",
        "C+79b",
        "C+79",
    )
)


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize("suffix", sorted({s for s in WJAZZD_SUFFIXES if s != "NC"}))
def test_wjazzd_scale_contains_tones(root: str, suffix: str) -> None:
    _check_scale(parse_chord(root + suffix))


@pytest.mark.parametrize("symbol", LEAD_SHEET_SYMBOLS)
def test_lead_sheet_scale_contains_tones(symbol: str) -> None:
    _check_scale(parse_chord(symbol))


def _check_scale(chord: Chord) -> None:
    assert set(chord.tones) <= set(chord.scale)
    assert chord.pitch_classes() <= chord.scale_pitch_classes()
    assert 6 <= len(chord.scale) <= 8
    assert chord.tones[0] == 0 and chord.scale[0] == 0
    assert list(chord.tones) == sorted(set(chord.tones))
    assert list(chord.scale) == sorted(set(chord.scale))
    assert all(0 <= interval < 12 for interval in chord.scale)


@pytest.mark.parametrize(
    ("symbol", "tones"),
    [
        # A trailing accidental binds to the 9/11/13 before it (WJazzD) ...
        ("C79b13", (0, 1, 4, 7, 9, 10)),
        # ... unless that number has its own leading accidental ...
        ("C7#9b13", (0, 3, 4, 7, 8, 10)),
        # ... or is the chord's first number, which is lead-sheet style ...
        ("C9#11", (0, 2, 4, 6, 7, 10)),
        # ... or the next number is lower (WJazzD writes them ascending) ...
        ("C713b9", (0, 1, 4, 7, 9, 10)),
        # ... or the next number is a 5.
        ("C79b5", (0, 2, 4, 6, 10)),
        # A 7 never takes a trailing accidental.
        ("C7b9", (0, 1, 4, 7, 10)),
    ],
)
def test_accidental_binding(symbol: str, tones: tuple[int, ...]) -> None:
    assert parse_chord(symbol).tones == tones


@pytest.mark.parametrize(
    "symbol",
    [
        "Cfoo",
        "Xm7",
        "H7",
        "",
        "m7",
        "c7",
        "Cmm7",
        "C7b",
        "C5",
        "C8",
        "C7##9",
        "C-dim",
        "Cb7b",
        "C7/",
        "C7/H",
        "C7)b9(",
        "C7((b9))",
        "Cm7sus4",
        "C1",
        "C(",
        "C7#13",
        "C9add",
    ],
)
def test_bad_symbols_raise_naming_the_symbol(symbol: str) -> None:
    message = f"unknown chord symbol {symbol.strip()!r}"
    with pytest.raises(ChordSymbolError, match=re.escape(message)):
        parse_chord(symbol)


def test_chord_symbol_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_chord("Cfoo")


def test_chord_is_frozen_and_hashable() -> None:
    chord = parse_chord("Dm7")
    assert chord == parse_chord("Dm7")
    assert len({chord, parse_chord(" Dm7 "), parse_chord("D-7")}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        chord.root = 1  # type: ignore[misc]
