"""The chords of a MIDI file: its chord symbols (text or marker events), or recognized from the
accompaniment's notes per half bar (per beat where the harmony moves faster), with
``live_jazz.theory.recognition`` ranking the chords a set of sounding pitch classes spells; and
the chords as lead-sheet text for the report. See ``midi_corpus`` for the whole reading.
"""

from __future__ import annotations

from collections.abc import Sequence

import mido

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.theory import Chord, ChordSymbolError, ChordTimeline, Progression, parse_chord
from live_jazz.theory.recognition import (
    MIN_SCORE,
    Candidate,
    chord_of,
    rank_chords,
    template_match,
)
from training.midi_parts import MidiNote, Part, to_grid

BEAT_SPLIT_MARGIN = 0.1
"""Beats of a half bar get their own chords only if these fit them this much better (mean
cosine) than the half's chord does."""
_TEXT_EVENTS = ("text", "marker", "cue_marker", "lyrics")


def chord_symbols(midi: mido.MidiFile) -> list[tuple[int, Chord]]:
    """(tick, chord) of the text/marker events that are chord symbols, in time order; empty
    unless there are at least two and they are at least half of those events (so that section
    letters or titles among other text are not taken for chords)."""
    texts: list[tuple[int, str]] = []
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type in _TEXT_EVENTS and message.text.strip():
                texts.append((tick, message.text.strip()))
    chords = []
    for tick, text in texts:
        try:
            chords.append((tick, parse_chord(text)))
        except ChordSymbolError:
            continue
    if len(chords) < 2 or 2 * len(chords) < len(texts):
        return []
    return sorted(chords, key=lambda item: item[0])


def text_timeline(chords: list[tuple[int, Chord]], lo: int, hi: int, tpb: int) -> ChordTimeline:
    """The chord symbols as a timeline from ``lo`` (the chord sounding at ``lo`` first)."""
    before = [chord for tick, chord in chords if tick <= lo]
    changes = [(0, before[-1] if before else chords[0][1])]
    for tick, chord in chords:
        if lo < tick < hi:
            _add_change(changes, to_grid(tick - lo, tpb), chord)
    return ChordTimeline(tuple(changes))


def _add_change(changes: list[tuple[int, Chord]], start: int, chord: Chord) -> None:
    """Append a change, merging repeats and changes on the same tick (the later one wins)."""
    if changes and changes[-1][0] >= start:
        changes[-1] = (changes[-1][0], chord)
        if len(changes) > 1 and changes[-2][1] == chord:
            changes.pop()
    elif not changes or changes[-1][1] != chord:
        changes.append((start, chord))


def _reading(
    notes: Sequence[MidiNote], start: int, end: int
) -> tuple[list[float], Candidate | None]:
    """The weight of each pitch class sounding in [start, end) (how long it sounds), and the
    best chord reading of it, with the lowest note sounding at the first onset as the bass
    (None where no chord fits, ``MIN_SCORE``)."""
    weights = [0.0] * 12
    sounding = [n for n in notes if n.start < end and n.end > start]
    for note in sounding:
        weights[note.pitch % 12] += min(note.end, end) - max(note.start, start)
    if not sounding:
        return weights, None
    first = min(max(n.start, start) for n in sounding)
    bass = min(n.pitch for n in sounding if n.start <= first < n.end or n.start == first) % 12
    best = rank_chords(weights, bass)[0]
    return weights, best if best.match >= MIN_SCORE else None


def _beats_differ(
    half: Candidate | None, beats: list[tuple[list[float], Candidate | None]]
) -> bool:
    """Whether the beats spell different chords of their own that fit them clearly better, on
    average, than the half's chord does (``BEAT_SPLIT_MARGIN``): Dm7 G7 in two beats, not a
    held Dm7 over a walking bass."""
    read = [(weights, best) for weights, best in beats if best is not None]
    if len(read) < max(2, len(beats)) or len({(c.root, c.template) for _, c in read}) < 2:
        return False
    gains = [
        best.match - (template_match(weights, half.root, half.template) if half else 0.0)
        for weights, best in read
    ]
    return sum(gains) / len(gains) >= BEAT_SPLIT_MARGIN


def recognize_timeline(
    parts: Sequence[Part], starts: Sequence[int], tpb: int
) -> ChordTimeline | None:
    """Chords recognized from ``parts`` over the bars that start at ``starts`` (the last entry
    ends the last bar), on the grid from ``starts[0]``; None if no stretch spells a chord.

    Bars split into halves where their beat count is even (whole bars where it is odd); a half
    splits into its beats where each beat spells its own chord clearly better than the half's
    chord fits it (``_beats_differ``). Slash basses are left out: walking bass lines would
    clutter the lead sheet, and the values only use root and tones.
    """
    notes = sorted((n for p in parts for n in p.notes), key=lambda n: n.start)
    lo, hi = starts[0], starts[-1]
    notes = [n for n in notes if n.start < hi and n.end > lo]
    segments: list[tuple[int, list[float], Candidate | None]] = []
    for bar_start, bar_end in zip(starts, starts[1:], strict=False):
        beats = max(1, round((bar_end - bar_start) / tpb))
        halves = 2 if beats % 2 == 0 else 1
        for half in range(halves):
            h0 = bar_start + (bar_end - bar_start) * half // halves
            h1 = bar_start + (bar_end - bar_start) * (half + 1) // halves
            n_beats = beats // halves
            bounds = [h0 + (h1 - h0) * k // n_beats for k in range(n_beats + 1)]
            by_beat = [_reading(notes, a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
            weights, best = _reading(notes, h0, h1)
            if _beats_differ(best, by_beat):
                segments += [(a, *reading) for a, reading in zip(bounds, by_beat, strict=False)]
            else:
                segments.append((h0, weights, best))
    changes: list[tuple[int, Chord]] = []
    held: Candidate | None = None
    for tick, weights, best in segments:
        if best is None:
            continue
        # A chord holds while it fits as well as the new reading: the bass walking to the
        # third of Dm7 makes the same notes read F6.
        if held is None or template_match(weights, held.root, held.template) < best.match - 1e-9:
            held = best
        _add_change(changes, to_grid(tick - lo, tpb), chord_of(held))
    if not changes:
        return None
    changes[0] = (0, changes[0][1])
    return ChordTimeline(tuple(changes))


def lead_sheet_text(timeline: ChordTimeline, bar_starts_grid: Sequence[int]) -> str:
    """The chords of the bars (grid ticks of their starts, the last ending the last bar) as
    lead-sheet text: each bar written with as few evenly spaced chords as show its changes
    on the beat."""
    bars = []
    for start, end in zip(bar_starts_grid, bar_starts_grid[1:], strict=False):
        n_beats = max(1, (end - start) // TICKS_PER_BEAT)
        beat_chords = [timeline.chord_at(start + k * TICKS_PER_BEAT) for k in range(n_beats)]
        bars.append(_fewest_slots(beat_chords))
    return Progression(tuple(bars), beats_per_bar=4).to_text()


def _fewest_slots(beat_chords: list[Chord]) -> tuple[Chord, ...]:
    """The fewest equal slots that keep each beat's chord (C C F F -> C F)."""
    n = len(beat_chords)
    for slots in range(1, n + 1):
        if n % slots:
            continue
        size = n // slots
        groups = [beat_chords[k * size : (k + 1) * size] for k in range(slots)]
        if all(len(set(group)) == 1 for group in groups):
            return tuple(group[0] for group in groups)
    return tuple(beat_chords)
