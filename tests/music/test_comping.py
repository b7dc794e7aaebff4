"""Comping: voicings from the chord's tones in a mid register, a pianist's rhythm."""

from __future__ import annotations

from collections import Counter

import pytest

from live_jazz.music.comping import VOICING_LOW, bar_hits, comp, voicing
from live_jazz.theory import (
    NO_CHORD,
    ChordTimeline,
    parse_chord,
    parse_progression,
    preset,
    preset_names,
)

BAR = 48


@pytest.mark.parametrize(
    "symbol", ["Dm7", "G7", "Cmaj7", "C", "Bb6", "Bo7", "Gm7b5", "C7b9", "G7alt", "C7sus4", "C13"]
)
def test_voicings_are_the_chords_tones_in_the_middle(symbol):
    chord = parse_chord(symbol)
    pitches = voicing(chord)
    assert 3 <= len(pitches) <= 4
    assert list(pitches) == sorted(set(pitches))
    assert {p % 12 for p in pitches} <= chord.pitch_classes()
    assert VOICING_LOW <= min(pitches) and max(pitches) <= 72
    assert max(pitches) - min(pitches) <= 12  # close position


@pytest.mark.parametrize("symbol", ["Dm7", "G7", "Cmaj7", "Bb6", "C7b9", "G7alt"])
def test_seventh_chords_sound_their_third_and_seventh(symbol):
    chord = parse_chord(symbol)
    assert chord.root is not None
    intervals = {(p - chord.root) % 12 for p in voicing(chord)}
    assert intervals & {3, 4} and intervals & {9, 10, 11}


def test_no_chord_is_silence():
    assert voicing(NO_CHORD) == ()
    assert comp(parse_progression("| NC |").timeline(12), 0, 4 * BAR) == []


def _chord_under(timeline, note, bar_end):
    """The chord a comping note belongs to: the chord at its onset, or a push's next bar."""
    pushed = note.onset + 6 >= bar_end
    return timeline.chord_at(bar_end if pushed else note.onset)


@pytest.mark.parametrize("name", preset_names())
def test_every_note_belongs_to_its_chord_and_never_crosses_a_change(name):
    progression = preset(name)
    timeline = progression.timeline(12)
    bar = progression.beats_per_bar * 12
    span = 2 * progression.n_bars * bar
    for note in comp(timeline, 0, span, progression.beats_per_bar):
        bar_end = (note.onset // bar + 1) * bar
        chord = _chord_under(timeline, note, bar_end)
        assert note.pitch % 12 in chord.pitch_classes()
        for tick in range(note.onset, note.onset + note.duration):
            if tick >= bar_end or note.onset + 6 < bar_end:
                assert timeline.chord_at(tick) == chord


@pytest.mark.parametrize("name", preset_names())
def test_every_chord_of_the_form_is_heard(name):
    progression = preset(name)
    timeline = progression.timeline(12)
    bar = progression.beats_per_bar * 12
    notes = comp(timeline, 0, progression.n_bars * bar + bar, progression.beats_per_bar)
    change = (0, timeline.chord_at(0))
    while change[0] < progression.n_bars * bar:
        start, chord = change
        following = timeline.next_change_after(start)
        until = following[0] if following else progression.n_bars * bar
        sounding = {n.pitch % 12 for n in notes if n.onset < until and n.onset + n.duration > start}
        assert sounding & chord.pitch_classes(), f"{chord.symbol} at {start} is never comped"
        change = following if following else (until, chord)


def test_a_pianist_does_not_hit_every_beat():
    timeline = preset("rhythm-changes").timeline(12)
    hits_per_bar = Counter(onset // BAR for bar in range(16)
                           for onset, _, _ in bar_hits(timeline, bar, 4))
    assert all(1 <= n <= 3 for n in hits_per_bar.values())
    offbeats = [onset for bar in range(16) for onset, _, _ in bar_hits(timeline, bar, 4)
                if onset % 12]
    assert offbeats, "no syncopation at all"


def test_a_pitch_never_sounds_twice_at_once():
    timeline = parse_progression("| C7 | C7 | F7 | F7 | Dm7 G7 | C7 / / F7 |").timeline(12)
    notes = comp(timeline, 0, 12 * BAR)
    for pitch in {n.pitch for n in notes}:
        same = sorted((n.onset, n.onset + n.duration) for n in notes if n.pitch == pitch)
        for (_, end), (start, _) in zip(same, same[1:], strict=False):
            assert end <= start


@pytest.mark.parametrize("cut", [1, 18, 47, 48, 95, 150])
def test_any_stretch_is_the_same_comping(cut):
    timeline = preset(preset_names()[0]).timeline(12)
    whole = comp(timeline, 0, 8 * BAR)
    assert comp(timeline, 0, cut) + comp(timeline, cut, 8 * BAR) == whole


def test_other_meters_keep_their_bars():
    progression = parse_progression("| Cmaj7 | A7 | Dm7 | G7 |", beats_per_bar=3)
    notes = comp(progression.timeline(12), 0, 4 * 36, 3)
    assert {n.onset // 36 for n in notes} == {0, 1, 2, 3}


def test_one_beat_bars_are_comped_without_a_crash():
    """1/4 (a few WJazzD solos): a bar can hold no hit of its own when the bar before pushed
    into it; the first bar still sounds its chord."""
    chords = ChordTimeline(((0, parse_chord("C7")), (12, parse_chord("F7"))))
    notes = comp(chords, 0, 96, beats_per_bar=1)
    assert notes and notes[0].onset == 0
    assert all(n.pitch % 12 in {(c.root + t) % 12 for c in [chords.chord_at(n.onset)]
                               for t in c.tones} for n in notes)
