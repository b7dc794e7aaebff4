"""Named scales as intervals above a root, and the choice of a chord scale for a chord.

The chord-scale table (what an improviser plays over each chord):

======================================  ==========================================
chord (example on C)                    scale
======================================  ==========================================
C, C6, C69, Cmaj7, Cmaj9, Cmaj13        ionian
any of those with #11 (or b5)           lydian
Cmaj7#5, C+maj7                         lydian augmented
C+ (augmented triad)                    whole tone
C7, C9, C11, C13                        mixolydian
C7#11, C9#11, C13#11                    lydian dominant
C7b9, C7b9#11, C13b9                    half-whole diminished
C7b13, C9b13                            mixolydian b13
C7b9b13                                 phrygian dominant
C7alt, C7#9, C7#9b13, C7#5, C7b5        altered
C9#5, C9b5                              whole tone
Csus, C7sus4, C9sus4, C13sus4           mixolydian
C7sus4b9                                phrygian
Cm, Cm7, Cm9, Cm11, Cm13                dorian
Cm7#11                                  dorian #4
Cm6, Cm69, CmMaj7                       melodic minor
Cm(b6), Cm7b13, Cm7#5                   aeolian
Cm7b9                                   phrygian
Cm7b5, Cø                               locrian #2
Cm7b5b9                                 locrian
Cdim, Cdim7                             whole-half diminished
======================================  ==========================================

A chord scale must contain every chord tone, but a few written chords keep a tone the
table's scale lacks (C7#9 keeps its perfect fifth, which the altered scale has not). Then
`fit_scale` adds the missing tones and, to stay within 8 notes, drops the scale notes a
semitone away from them: C7#9 is played over the altered scale plus G.
"""

from __future__ import annotations

from collections.abc import Iterable

SCALES: dict[str, tuple[int, ...]] = {
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "lydian augmented": (0, 2, 4, 6, 8, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "lydian dominant": (0, 2, 4, 6, 7, 9, 10),
    "mixolydian b13": (0, 2, 4, 5, 7, 8, 10),
    "phrygian dominant": (0, 1, 4, 5, 7, 8, 10),
    "altered": (0, 1, 3, 4, 6, 8, 10),
    "half-whole diminished": (0, 1, 3, 4, 6, 7, 9, 10),
    "whole-half diminished": (0, 2, 3, 5, 6, 8, 9, 11),
    "whole tone": (0, 2, 4, 6, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "dorian #4": (0, 2, 3, 6, 7, 9, 10),
    "melodic minor": (0, 2, 3, 5, 7, 9, 11),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "locrian #2": (0, 2, 3, 5, 6, 8, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
}
"""Scale name -> intervals (0-11) above the root, sorted."""

MAX_SCALE_NOTES = 8
"""A chord scale has at most this many notes (the diminished scales)."""

# Intervals of the tensions the chooser looks at.
_FLAT_NINE, _NINE, _SHARP_NINE = 1, 2, 3
_SHARP_ELEVEN, _FLAT_THIRTEEN, _THIRTEEN = 6, 8, 9
_PERFECT_FIFTH = 7


def choose_scale_name(
    quality: str,
    tones: Iterable[int],
    *,
    seventh: int | None,
    altered_fifth: bool,
    alt: bool,
) -> str | None:
    """Return the SCALES name for a chord (see the module table), or None for no chord.

    `quality` is the chord family ('maj', 'min', 'dom', 'halfdim', 'dim', 'aug', 'sus',
    'none'); `tones` its intervals above the root; `seventh` the interval of its seventh
    (10, 11, 9) or None; `altered_fifth` whether a b5/#5 replaces the perfect fifth; `alt`
    whether the symbol said 'alt'.
    """
    has = set(tones)
    if quality == "none":
        return None
    if quality == "sus":
        if seventh == 11:
            return "ionian"
        return "phrygian" if _FLAT_NINE in has else "mixolydian"
    if quality == "maj":
        if altered_fifth and _FLAT_THIRTEEN in has:
            return "lydian augmented"
        return "lydian" if _SHARP_ELEVEN in has else "ionian"
    if quality == "aug":
        return "whole tone"
    if quality == "min":
        if seventh == 11:
            return "melodic minor"
        if _FLAT_NINE in has:
            return "phrygian"
        if _FLAT_THIRTEEN in has:
            return "aeolian"
        if seventh is None and _THIRTEEN in has:  # m6, m69: tonic minor
            return "melodic minor"
        return "dorian #4" if _SHARP_ELEVEN in has else "dorian"
    if quality == "halfdim":
        return "locrian" if _FLAT_NINE in has else "locrian #2"
    if quality == "dim":
        return "whole-half diminished"
    if quality == "dom":
        return _dominant_scale_name(has, altered_fifth=altered_fifth, alt=alt)
    raise ValueError(f"unknown chord quality {quality!r}")


def _dominant_scale_name(has: set[int], *, altered_fifth: bool, alt: bool) -> str:
    """Pick the scale of a dominant chord from its written tensions."""
    if alt:
        return "altered"
    if altered_fifth:
        # 9#5 and 9b5 are whole-tone sounds; without the natural 9 the altered scale fits.
        return "whole tone" if _NINE in has else "altered"
    if _SHARP_NINE in has:
        # With a written 13 the half-whole scale holds every tone; otherwise altered (+5).
        return "half-whole diminished" if _THIRTEEN in has else "altered"
    if _FLAT_THIRTEEN in has:
        if _SHARP_ELEVEN in has:
            return "altered"
        return "phrygian dominant" if _FLAT_NINE in has else "mixolydian b13"
    if _FLAT_NINE in has:
        return "half-whole diminished"
    if _SHARP_ELEVEN in has:
        return "lydian dominant"
    return "mixolydian"


def fit_scale(scale: Iterable[int], tones: Iterable[int]) -> tuple[int, ...]:
    """Return `scale` with every chord tone in `tones` added, keeping at most 8 notes.

    Notes a semitone from an added tone are dropped first, as they would rub against it.
    Raises ValueError if the chord tones alone are more than 8 notes.
    """
    tone_set = set(tones)
    notes = set(scale) | tone_set
    if len(tone_set) > MAX_SCALE_NOTES:
        raise ValueError(f"{len(tone_set)} chord tones do not fit in a scale")
    for added in sorted(tone_set - set(scale)):
        for neighbour in ((added - 1) % 12, (added + 1) % 12):
            if len(notes) > MAX_SCALE_NOTES and neighbour not in tone_set:
                notes.discard(neighbour)
    for extra in sorted(notes - tone_set):
        if len(notes) <= MAX_SCALE_NOTES:
            break
        notes.discard(extra)
    return tuple(sorted(notes))
