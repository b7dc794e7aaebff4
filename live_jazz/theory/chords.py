"""Chord symbols: parse lead-sheet and Weimar Jazz Database spellings into `Chord` values.

Two conventions are accepted side by side:

* Lead-sheet style: ``Cm7``, ``C-7``, ``Cmaj7``, ``CΔ7``, ``Cø``, ``C°7``, ``C7b9``,
  ``C7(b9,#11)``, ``C9sus4``, ``CmMaj7``, ``C6/9``, ``C7alt``, slash chords ``C7/E``, ``NC``.
  A 9, 11 or 13 as the chord's first number implies the seventh (``C9`` = 7 + 9), and 11
  and 13 then also imply the 9 (``C13`` = 7, 9, 13).
* Weimar Jazz Database (Jazzomat) style: ``-`` minor, ``j`` major seventh, ``o`` diminished,
  ``+`` augmented, every extension written out in ascending order with the accidental *after*
  the number: ``C79b`` = C7b9, ``C7911#`` = C7 9 #11, ``C-j7`` = CmMaj7, ``Csus7`` = C7sus4.

Where the accidental goes is ambiguous when both styles meet (``79b13``: is it 7, b9, 13 or
7, 9, b13?). A trailing accidental binds to the 9, 11 or 13 just before it only if

1. that number has no leading accidental of its own (``7#9b13`` = 7, #9, b13; a 7 never
   takes one, so ``7b9`` = 7, b9), and
2. either nothing follows the accidental, or all of: the number is not the chord's first
   number (a leading 9/11/13 is lead-sheet style: ``C9#11`` = 9, #11; ``C13b9`` = 13, b9),
   the next number is higher (WJazzD writes them ascending: ``713b9`` = 7, 13, b9), and the
   next number is not a 5 (a bare 5 means nothing: ``79b5`` = 7, 9, b5).

So ``79b13`` = 7, b9, 13 and ``79b13b`` = 7, b9, b13, as in the WJazzD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from live_jazz.theory.pitch import parse_pitch_class
from live_jazz.theory.scales import SCALES, choose_scale_name, fit_scale


class ChordSymbolError(ValueError):
    """A chord symbol that cannot be parsed; the message names the symbol."""


@dataclass(frozen=True)
class Chord:
    """A parsed chord symbol: root, family, chord tones and the scale to improvise from."""

    symbol: str
    """The symbol as written (whitespace stripped)."""
    root: int | None
    """Pitch class 0-11 of the root; None only for NC (no chord)."""
    quality: str
    """Family: 'maj', 'min', 'dom', 'halfdim', 'dim', 'aug', 'sus', or 'none' for NC."""
    tones: tuple[int, ...]
    """Chord tones as intervals 0-11 above the root, sorted (so 0 first), with the written
    extensions and alterations."""
    scale: tuple[int, ...]
    """Chord scale as intervals 0-11 above the root, sorted, 6-8 notes, containing `tones`."""
    bass: int | None = None
    """Pitch class of a slash bass (C7/E -> 4), else None."""

    def pitch_classes(self) -> frozenset[int]:
        """Return the absolute pitch classes of the chord tones (empty for NC)."""
        return _transpose(self.tones, self.root)

    def scale_pitch_classes(self) -> frozenset[int]:
        """Return the absolute pitch classes of the chord scale (empty for NC)."""
        return _transpose(self.scale, self.root)

    @property
    def is_no_chord(self) -> bool:
        """True for NC (no chord): nothing harmonic to follow."""
        return self.root is None


def _transpose(intervals: tuple[int, ...], root: int | None) -> frozenset[int]:
    if root is None:
        return frozenset()
    return frozenset((root + interval) % 12 for interval in intervals)


NO_CHORD = Chord(symbol="NC", root=None, quality="none", tones=(), scale=())
"""No chord (NC, N.C.): the band stops or the soloist plays alone."""

_NO_CHORD_SPELLINGS = frozenset({"NC", "N.C.", "N.C", "N/C"})

_ROOT = re.compile(r"[A-G][#b♯♭]?")
_SLASH_BASS = re.compile(r"/([A-G][#b♯♭]?)$")

# Suffix words, tried in this order at each position (longer spellings first).
_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"maj|Maj|MAJ|ma(?!d)|Ma|M", "maj"),
        (r"[Δ∆△^j]", "maj7"),  # these mean a major seventh even with no 7 after them
        (r"min|mi|m", "min"),
        (r"dim|[o°º]", "dim"),
        (r"[øØ]", "halfdim"),
        (r"aug", "aug"),
        (r"sus[24]?", "sus"),
        (r"alt", "alt"),
        (r"add", "add"),
        (r"[()\[\],/ ]", "sep"),
    )
)
_ACCIDENTAL_SIGNS = {"b": "b", "♭": "b", "#": "#", "♯": "#"}
# Which quality words cannot share a chord.
_CLASHES = (
    {"min", "dim"},
    {"min", "halfdim"},
    {"min", "aug"},
    {"min", "sus"},
    {"dim", "halfdim"},
    {"dim", "aug"},
    {"dim", "sus"},
    {"halfdim", "aug"},
    {"halfdim", "sus"},
)


@dataclass(frozen=True)
class _Token:
    kind: str  # a _WORDS kind, 'acc' or 'num'
    text: str  # the matched text; for 'acc' 'b' or '#'
    number: int = 0


@dataclass
class _Number:
    """One written chord number with its accidental ('b', '#' or '')."""

    value: int
    accidental: str
    added: bool  # written after 'add': it implies no seventh


def parse_chord(symbol: str) -> Chord:
    """Parse a chord symbol (lead-sheet or WJazzD spelling, see the module doc).

    Surrounding whitespace is ignored. Raises ChordSymbolError naming the symbol.
    """
    text = symbol.strip()
    if text.upper() in _NO_CHORD_SPELLINGS:
        return NO_CHORD
    try:
        return _parse(text)
    except ChordSymbolError:
        raise
    except ValueError as error:
        raise ChordSymbolError(f"unknown chord symbol {text!r}: {error}") from None


def _parse(text: str) -> Chord:
    root_match = _ROOT.match(text)
    if root_match is None:
        raise ChordSymbolError(f"unknown chord symbol {text!r}")
    root = parse_pitch_class(root_match.group())
    suffix = text[root_match.end() :]
    bass = None
    bass_match = _SLASH_BASS.search(suffix)
    if bass_match is not None:
        bass = parse_pitch_class(bass_match.group(1))
        suffix = suffix[: bass_match.start()]
    tokens = _tokenize(suffix, text)
    words, numbers = _read_numbers(tokens, text)
    return _build(text, root, bass, words, numbers)


def _tokenize(suffix: str, symbol: str) -> list[_Token]:
    """Split a chord suffix into quality words, accidentals and numbers."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(suffix):
        char = suffix[pos]
        if char.isdigit():
            # Chord numbers are 2-13: a '1' always starts 11 or 13, so '7913' = 7, 9, 13.
            width = 2 if char == "1" else 1
            digits = suffix[pos : pos + width]
            if not digits.isdigit() or int(digits) not in (2, 4, 5, 6, 7, 9, 11, 13):
                raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
            tokens.append(_Token("num", digits, int(digits)))
            pos += width
            continue
        if char in _ACCIDENTAL_SIGNS:
            tokens.append(_Token("acc", _ACCIDENTAL_SIGNS[char]))
            pos += 1
            continue
        if char in "+-":
            # At the head '-' is minor and '+' augmented; after a number, before a digit, they
            # are accidentals (C7+5, C7-9). '+' without a digit after it is augmented (C7+).
            seen_number = any(token.kind == "num" for token in tokens)
            next_is_digit = suffix[pos + 1 : pos + 2].isdigit()
            if seen_number and next_is_digit:
                tokens.append(_Token("acc", "#" if char == "+" else "b"))
            elif char == "+":
                tokens.append(_Token("aug", char))
            elif not tokens:
                tokens.append(_Token("min", char))
            else:
                raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
            pos += 1
            continue
        if char == "/" and not suffix[pos + 1 : pos + 2].isdigit():
            raise ChordSymbolError(f"unknown chord symbol {symbol!r}")  # '/' only as in 6/9
        for pattern, kind in _WORDS:
            match = pattern.match(suffix, pos)
            if match is not None:
                tokens.append(_Token(kind, match.group()))
                pos = match.end()
                break
        else:
            raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
    if not _balanced("".join(token.text for token in tokens if token.kind == "sep")):
        raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
    return tokens


def _balanced(separators: str) -> bool:
    """Whether the brackets among `separators` open and close in pairs, unnested."""
    depth = 0
    for char in separators:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if depth not in (0, 1):
            return False
    return depth == 0


def _read_numbers(tokens: list[_Token], symbol: str) -> tuple[list[_Token], list[_Number]]:
    """Attach accidentals to numbers (module doc), returning the words and the numbers."""
    words: list[_Token] = []
    numbers: list[_Number] = []
    pending_accidental = ""
    after_add = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.kind == "acc":
            if pending_accidental:
                raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
            pending_accidental = token.text
            continue
        if pending_accidental and token.kind != "num":
            raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
        if token.kind == "sep":
            continue
        if token.kind == "add":
            after_add = True
            continue
        if token.kind != "num":
            words.append(token)
            continue
        number = _Number(token.number, pending_accidental, after_add)
        pending_accidental, after_add = "", False
        if _takes_trailing_accidental(tokens, index, number, is_first=not numbers):
            number.accidental = tokens[index].text
            index += 1
        numbers.append(number)
    if pending_accidental or after_add:
        raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
    return words, numbers


def _takes_trailing_accidental(
    tokens: list[_Token], index: int, number: _Number, *, is_first: bool
) -> bool:
    """Whether tokens[index] is an accidental written after `number` (WJazzD style)."""
    if index >= len(tokens) or tokens[index].kind != "acc":
        return False
    if number.value not in (9, 11, 13) or number.accidental:
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None or following.kind != "num":
        return True  # nothing it could lead: '79b', '7911#', '79b)'
    return not is_first and following.number > number.value and following.number != 5


def _build(
    symbol: str, root: int, bass: int | None, words: list[_Token], numbers: list[_Number]
) -> Chord:
    """Turn the words and numbers of a suffix into a Chord."""
    kinds = [word.kind for word in words]
    kind_set = set(kinds)
    if len(kinds) != len(kind_set) or any(clash <= kind_set for clash in _CLASHES):
        raise ChordSymbolError(f"unknown chord symbol {symbol!r}")

    third = 4
    fifths = {7}
    seventh_wanted = "maj7" in kind_set or "halfdim" in kind_set or "alt" in kind_set
    extensions: set[int] = set()
    if "min" in kind_set:
        third = 3
    if "dim" in kind_set or "halfdim" in kind_set:
        third, fifths = 3, {6}
    if "aug" in kind_set:
        fifths = {8}
    if "alt" in kind_set:
        # Written 'alt' names no tensions; take the usual 7#5#9 voicing as its tones.
        fifths = {8}
        extensions.add(3)
    sus_word = next((word.text for word in words if word.kind == "sus"), None)
    if sus_word is not None:
        third = 2 if sus_word.endswith("2") else 5

    has_sixth = any(n.value == 6 and not n.accidental for n in numbers)
    altered_fifths: set[int] = set()
    for position, number in enumerate(numbers):
        value, accidental = number.value, number.accidental
        if value == 7:
            if accidental:
                raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
            seventh_wanted = True
        elif value == 5:
            if not accidental:
                raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
            altered_fifths.add(6 if accidental == "b" else 8)
        elif value == 4 and number.added and not accidental:
            extensions.add(5)
        elif value == 2 and not accidental:
            extensions.add(2)
        elif value in _EXTENSIONS and accidental in _EXTENSIONS[value]:
            extensions.add(_EXTENSIONS[value][accidental])
            # The chord's first number, if 9/11/13, implies the seventh ...
            implies = position == 0 and not accidental and not number.added and not has_sixth
            if implies and value != 6:
                seventh_wanted = True
                # ... and 11/13 imply the 9, unless a 9 is written (C13b9 has no natural 9).
                if value in (11, 13) and not any(n.value == 9 for n in numbers):
                    extensions.add(2)
        else:
            raise ChordSymbolError(f"unknown chord symbol {symbol!r}")
    if altered_fifths:
        fifths = altered_fifths

    seventh = None
    if seventh_wanted:
        if "maj" in kind_set or "maj7" in kind_set:
            seventh = 11
        elif "dim" in kind_set:
            seventh = 9
        else:
            seventh = 10

    tones = {0, third, *fifths, *extensions}
    if seventh is not None:
        tones.add(seventh)
    quality = _quality(third, fifths, seventh, sus=sus_word is not None)
    scale_name = choose_scale_name(
        quality, tones, seventh=seventh, altered_fifth=7 not in fifths, alt="alt" in kind_set
    )
    assert scale_name is not None  # only NC has no scale, and NC never gets here
    return Chord(
        symbol=symbol,
        root=root,
        quality=quality,
        tones=tuple(sorted(tones)),
        scale=fit_scale(SCALES[scale_name], tones),
        bass=bass,
    )


# Number -> {accidental -> interval} for the tensions (and 6, which is a 13 without the 7).
_EXTENSIONS: dict[int, dict[str, int]] = {
    6: {"": 9, "b": 8},
    9: {"": 2, "b": 1, "#": 3},
    11: {"": 5, "#": 6},
    13: {"": 9, "b": 8},
}


def _quality(third: int, fifths: set[int], seventh: int | None, *, sus: bool) -> str:
    """Name the chord family from its third, fifth and seventh."""
    if sus:
        return "sus"
    if third == 3:
        if fifths == {6}:
            return "halfdim" if seventh == 10 else "dim"
        return "min"
    if seventh == 10:
        return "dom"
    if fifths == {8} and seventh is None:
        return "aug"
    return "maj"
