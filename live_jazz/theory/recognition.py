"""Chord recognition: name the chord that a set of sounding pitch classes spells.

The input is a weight per pitch class (how long, or how loud, each pitch class sounds in a
stretch of music) and optionally the bass pitch class. Every chord template (triads, sixth,
seventh and ninth chords, sus chords) is tried on all twelve roots; each is scored by the
cosine between the weights and the template's tones, so a template gains by covering the weight
and loses both for weight outside it and for tones of its own that do not sound. The bass then
decides between readings that spell the same notes (C6 = Am7/C, Cm6 = Am7b5/C, Csus4 = Fsus2):
a template whose root is the bass gains ``BASS_ROOT_BONUS``, one that does not contain the bass
at all loses ``BASS_MISSING_PENALTY``; a ninth chord loses ``NINTH_PENALTY``. Remaining ties go
to the simpler, more common template (the order of ``TEMPLATES``).

An inversion keeps its name with a slash bass (C/E, Cmaj7/B); a bass outside the chord (a pedal)
is left out of the symbol. Roots are spelled as lead sheets usually spell them (Db, Eb, F#, Ab,
Bb) unless all flats or all sharps are asked for. The result is a ``Chord`` from ``parse_chord``
of a canonical symbol, so it behaves exactly like a chord read from a lead sheet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from live_jazz.theory.chords import Chord, parse_chord
from live_jazz.theory.pitch import pitch_class_name

__all__ = [
    "TEMPLATES",
    "Candidate",
    "Template",
    "chord_of",
    "rank_chords",
    "recognize_chord",
    "template_match",
]

_LEAD_SHEET_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass(frozen=True)
class Template:
    """A chord family: its symbol suffix and its tones as intervals above the root."""

    suffix: str
    """What follows the root in the canonical symbol ('' for a major triad, 'm7', ...)."""
    tones: frozenset[int]
    """Intervals 0-11 above the root."""


def _template(suffix: str, *tones: int) -> Template:
    return Template(suffix, frozenset(tones))


TEMPLATES: tuple[Template, ...] = (
    _template("", 0, 4, 7),
    _template("m", 0, 3, 7),
    _template("7", 0, 4, 7, 10),
    _template("m7", 0, 3, 7, 10),
    _template("maj7", 0, 4, 7, 11),
    _template("m7b5", 0, 3, 6, 10),
    _template("dim7", 0, 3, 6, 9),
    _template("dim", 0, 3, 6),
    _template("+", 0, 4, 8),
    _template("sus4", 0, 5, 7),
    _template("7sus4", 0, 5, 7, 10),
    _template("6", 0, 4, 7, 9),
    _template("m6", 0, 3, 7, 9),
    _template("9", 0, 2, 4, 7, 10),
    _template("m9", 0, 2, 3, 7, 10),
    _template("maj9", 0, 2, 4, 7, 11),
)
"""Templates tried, simplest and most common first (the order breaks exact ties). The ninth
chords are there because jazz voicings sound the 9 as often as the 5: without them Gm9
(G Bb D F A) reads as Dsus4 or Bbmaj7, whose tones miss the root the bass plays."""

BASS_ROOT_BONUS = 0.04
"""Score added when the bass is the template's root."""
BASS_MISSING_PENALTY = 0.04
"""Score taken off when the bass is not one of the template's tones."""
NINTH_PENALTY = 0.05
"""Score taken off a ninth chord, so that it wins only where the 9 sounds about as much as the
other tones: by the cosine alone, a walking bass's passing note a step above the root (D E
under Dm7) reads as Dm9."""
MIN_SCORE = 0.7
"""Below this cosine the notes spell no chord well enough to name one: a lone note (0.58
against a triad) or a chromatic cluster (0.65 against a ninth chord) is no chord."""


@dataclass(frozen=True)
class Candidate:
    """One reading of the weights."""

    root: int
    """Pitch class of the root."""
    template: Template
    """The chord family."""
    score: float
    """Cosine of weights and template, with the bass bonus or penalty and the ninth's."""
    match: float
    """The plain cosine (0-1), without the bass adjustment."""


def _weights(weights: Mapping[int, float] | Sequence[float]) -> list[float]:
    """Twelve non-negative weights from a pitch-class mapping (keys taken mod 12) or list."""
    folded = [0.0] * 12
    items = weights.items() if isinstance(weights, Mapping) else enumerate(weights)
    for pc, weight in items:
        if weight < 0:
            raise ValueError(f"negative weight {weight} for pitch class {pc}")
        folded[pc % 12] += float(weight)
    return folded


def template_match(
    weights: Mapping[int, float] | Sequence[float], root: int, template: Template
) -> float:
    """Cosine (0-1) between the weights and the tones of ``template`` on ``root``; 0 if
    nothing sounds."""
    folded = _weights(weights)
    norm = math.sqrt(sum(w * w for w in folded))
    if norm == 0:
        return 0.0
    covered = sum(folded[(root + interval) % 12] for interval in template.tones)
    return covered / (norm * math.sqrt(len(template.tones)))


def rank_chords(
    weights: Mapping[int, float] | Sequence[float], bass: int | None = None
) -> list[Candidate]:
    """Every (root, template) reading, best first; empty if nothing sounds."""
    folded = _weights(weights)
    if not any(folded):
        return []
    candidates = []
    for order, template in enumerate(TEMPLATES):
        for root in range(12):
            match = template_match(folded, root, template)
            score = match - (NINTH_PENALTY if 2 in template.tones else 0.0)
            if bass is not None:
                if bass % 12 == root:
                    score += BASS_ROOT_BONUS
                elif (bass - root) % 12 not in template.tones:
                    score -= BASS_MISSING_PENALTY
            candidates.append(
                (-round(score, 9), order, root, Candidate(root, template, score, match))
            )
    candidates.sort(key=lambda item: item[:3])
    return [candidate for *_, candidate in candidates]


def recognize_chord(
    weights: Mapping[int, float] | Sequence[float],
    bass: int | None = None,
    *,
    flats: bool | None = None,
    min_score: float = MIN_SCORE,
) -> Chord | None:
    """The chord the weighted pitch classes spell, or None if none fits (``min_score``).

    ``weights``: a weight per pitch class, as a mapping pitch class -> weight or a sequence of
    twelve. ``bass``: the pitch class in the bass, if known. ``flats``: spell black-key roots
    with flats (True: Gb) or sharps (False: A#); None: Db Eb F# Ab Bb.
    """
    ranked = rank_chords(weights, bass)
    if not ranked or ranked[0].match < min_score:
        return None
    return chord_of(ranked[0], bass, flats=flats)


def chord_of(candidate: Candidate, bass: int | None = None, *, flats: bool | None = None) -> Chord:
    """The Chord of a candidate: its canonical symbol, with a slash bass for an inversion."""
    symbol = _name(candidate.root, flats) + candidate.template.suffix
    if bass is not None:
        interval = (bass - candidate.root) % 12
        if interval and interval in candidate.template.tones:
            symbol += "/" + _name(bass, flats)
    return parse_chord(symbol)


def _name(pc: int, flats: bool | None) -> str:
    return _LEAD_SHEET_NAMES[pc % 12] if flats is None else pitch_class_name(pc, flats)
