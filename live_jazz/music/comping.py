"""Comping: the chords of the progression as a pianist's left hand would play them under a solo.

Pure functions of (chords, bar), so the live engine can ask for any stretch of ticks, in any
order, and always hear the same comping that ``generate`` writes to a file.

Voicing: the chord's own tones, four at most: the guide tones (third and seventh, or sixth)
and two more (written extensions first, then the fifth, then the root), in close position
around ``VOICING_CENTER``: every voicing sits in the same middle register, so consecutive chords
move by small steps. Triads are played whole.

Rhythm: short hits, never on every beat. Each bar takes one of ``PATTERNS`` in turn (the
Charleston, hits on 2 and the and of 3, a push into the next bar, ...), a four-bar cycle a
listener hears as varied but steady. A hit on the and of 4 is a *push*: it anticipates the next
bar's first chord. Every chord of the progression is heard: a chord the pattern would skip gets
a hit where it starts. A hit never sounds across a chord change.
"""

from __future__ import annotations

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.theory import Chord, ChordTimeline

VOICING_CENTER = 60
"""The voicings' mean pitch is as near this as the chord allows (middle C)."""
VOICING_LOW = 48
"""No voicing note goes below this (C3): lower, close voicings turn to mud."""
COMP_VELOCITY = 64
"""Velocity of the comping: under the soloist, not over it."""

_EIGHTH = TICKS_PER_BEAT // 2
# Voicing preferences, as intervals above the root, most wanted first.
_THIRDS: tuple[int, ...] = (4, 3, 5, 2)  # the major third first: a dominant's minor third is #9
_SEVENTHS: tuple[int, ...] = (10, 11, 9)  # or the sixth
_COLOURS: tuple[int, ...] = (1, 2, 3, 6, 8, 9, 7, 0)  # written extensions, the fifth, the root

Hit = tuple[int, int]
"""(onset, duration) in ticks from the bar line."""

PATTERNS: tuple[tuple[Hit, ...], ...] = (
    # Charleston: beat 1 held, the and of 2.
    ((0, 14), (18, 10)),
    # Beat 2, the and of 3.
    ((12, 8), (30, 10)),
    # Beats 1 and 3 short, then a push on the and of 4 ...
    ((0, 8), (24, 8), (42, 10)),
    # ... so the next bar leaves its downbeat to the push: the and of 1, beat 3 held.
    ((6, 10), (24, 16)),
)
"""Rhythms of one 4/4 bar, played in turn bar after bar (4 bars a cycle). Bars of another
length keep the hits that start inside them."""


def voicing(chord: Chord, center: int = VOICING_CENTER) -> tuple[int, ...]:
    """MIDI pitches of a close voicing of ``chord`` around ``center`` (empty for NC)."""
    if chord.root is None:
        return ()
    tones = set(chord.tones)
    guide = [t for t in _THIRDS if t in tones][:1]
    seventh = [t for t in _SEVENTHS if t in tones][:1]
    if not seventh:
        intervals = sorted(tones)  # a triad: played whole
    else:
        colours = [t for t in _COLOURS if t in tones and t not in guide + seventh]
        intervals = guide + seventh + colours[:2]
    classes = sorted({(chord.root + t) % 12 for t in intervals})
    best: tuple[int, ...] = ()
    for bottom_index in range(len(classes)):
        # Each inversion stacked upward in close position, moved by octaves nearest center.
        order = classes[bottom_index:] + classes[:bottom_index]
        pitches = [order[0]]
        for pc in order[1:]:
            pitches.append(pitches[-1] + (pc - pitches[-1]) % 12)
        mean = sum(pitches) / len(pitches)
        shift = 12 * round((center - mean) / 12)
        while pitches[0] + shift < VOICING_LOW:
            shift += 12
        candidate = tuple(p + shift for p in pitches)
        if not best or _distance(candidate, center) < _distance(best, center):
            best = candidate
    return best


def _distance(pitches: tuple[int, ...], center: int) -> float:
    return abs(sum(pitches) / len(pitches) - center)


def bar_hits(
    chords: ChordTimeline, bar: int, beats_per_bar: int
) -> list[tuple[int, int, Chord]]:
    """(absolute onset, duration, chord) of the hits of bar ``bar`` (0-based), sorted."""
    bar_ticks = beats_per_bar * TICKS_PER_BEAT
    end = (bar + 1) * bar_ticks
    onsets = _onsets(chords, bar, bar_ticks)
    if not onsets:  # a short bar (1/4) whose chord the previous bar's push already sounded
        return []
    after = _onsets(chords, bar + 1, bar_ticks)
    following = [onset for onset, _ in onsets[1:]] + [after[0][0] if after else end + bar_ticks]
    hits = []
    for (onset, length), next_onset in zip(onsets, following, strict=True):
        push = onset + _EIGHTH >= end
        sounding_from = end if push else onset
        limit = min(next_onset, _next_change(chords, sounding_from, next_onset))
        hits.append((onset, max(1, min(length, limit - onset)), chords.chord_at(sounding_from)))
    return hits


def _pushes(pattern: tuple[Hit, ...], bar_ticks: int) -> bool:
    """Whether a bar of ``pattern`` ends on a push (a hit in its last eighth)."""
    return any(bar_ticks - _EIGHTH <= onset < bar_ticks for onset, _ in pattern)


def _onsets(chords: ChordTimeline, bar: int, bar_ticks: int) -> list[Hit]:
    """(absolute onset, nominal length) of the hits of a bar, sorted: its pattern's, without a
    downbeat the previous bar pushed, plus one where each chord the pattern misses starts."""
    start, end = bar * bar_ticks, (bar + 1) * bar_ticks
    pushed = bar > 0 and _pushes(PATTERNS[(bar - 1) % len(PATTERNS)], bar_ticks)
    hits = {start + onset: length for onset, length in PATTERNS[bar % len(PATTERNS)]
            if onset < bar_ticks and not (pushed and onset == 0)}
    changes = _change_starts(chords, start, end)
    for index, change in enumerate(changes):
        if index == 0 and pushed:
            continue  # the push already sounded this chord
        until = changes[index + 1] if index + 1 < len(changes) else end
        if not any(change <= onset < until for onset in hits):
            hits[change] = min(until - change, TICKS_PER_BEAT)
    return sorted(hits.items())


def _change_starts(chords: ChordTimeline, start: int, end: int) -> list[int]:
    """Ticks in [start, end) where a chord starts sounding (``start`` itself included)."""
    starts = [start]
    found = chords.next_change_after(start)
    while found is not None and found[0] < end:
        if chords.chord_at(found[0]) != chords.chord_at(starts[-1]):
            starts.append(found[0])
        found = chords.next_change_after(found[0])
    return starts


def _next_change(chords: ChordTimeline, tick: int, horizon: int) -> int:
    """The first tick after ``tick`` where a different chord sounds, or ``horizon``."""
    here = chords.chord_at(tick)
    found = chords.next_change_after(tick)
    while found is not None and found[0] < horizon:
        if found[1] != here:
            return found[0]
        found = chords.next_change_after(found[0])
    return horizon


def comp(
    chords: ChordTimeline,
    start: int,
    end: int,
    beats_per_bar: int = 4,
    velocity: int = COMP_VELOCITY,
) -> list[Note]:
    """The comping notes whose onsets fall in ``[start, end)`` ticks, sorted by onset then
    pitch. Each note carries its duration; no hit sounds over a chord it does not belong to."""
    if end <= start:
        return []
    bar_ticks = beats_per_bar * TICKS_PER_BEAT
    notes = []
    for bar in range(start // bar_ticks, (end - 1) // bar_ticks + 1):
        for onset, duration, chord in bar_hits(chords, bar, beats_per_bar):
            if start <= onset < end:
                notes += [Note(onset, duration, pitch, velocity) for pitch in voicing(chord)]
    return notes
