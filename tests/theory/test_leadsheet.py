import re
from fractions import Fraction

import pytest

from live_jazz.theory import (
    PRESETS,
    LeadSheetError,
    Progression,
    parse_chord,
    parse_progression,
    preset,
    preset_names,
)

DM7, G7, CMAJ7, A7 = (parse_chord(s) for s in ("Dm7", "G7", "Cmaj7", "A7"))


def test_bars_and_even_sharing() -> None:
    progression = parse_progression("| Dm7 G7 | Cmaj7 | % | A7 |", name="ii-V")
    assert progression.bars == ((DM7, G7), (CMAJ7,), (CMAJ7,), (A7,))
    assert progression.n_bars == 4
    assert progression.beats_per_bar == 4
    assert progression.name == "ii-V"


@pytest.mark.parametrize(
    ("beat", "chord"),
    [
        (0, DM7),
        (1, DM7),
        (Fraction(199, 100), DM7),
        (2, G7),
        (3.5, G7),
        (4, CMAJ7),
        (11.99, CMAJ7),
        (12, A7),
        (15, A7),
        (16, DM7),
        (18, G7),
        (16 * 10 + 12, A7),
        (-1, DM7),
    ],
)
def test_chord_at_beat_loops(beat: float, chord: object) -> None:
    progression = parse_progression("| Dm7 G7 | Cmaj7 | % | A7 |")
    assert progression.chord_at_beat(beat) == chord


def test_three_chords_share_a_bar_in_thirds() -> None:
    progression = parse_progression("| Dm7 G7 Cmaj7 |")
    assert progression.chord_at_beat(Fraction(4, 3) - Fraction(1, 1000)) == DM7
    assert progression.chord_at_beat(Fraction(4, 3)) == G7
    assert progression.chord_at_beat(Fraction(8, 3) - Fraction(1, 1000)) == G7
    assert progression.chord_at_beat(Fraction(8, 3)) == CMAJ7


def test_slash_repeats_the_chord_for_uneven_bars() -> None:
    progression = parse_progression("| Dm7 / / G7 | / Cmaj7 |")
    assert progression.bars == ((DM7, DM7, DM7, G7), (G7, CMAJ7))
    assert progression.chord_at_beat(2.5) == DM7
    assert progression.chord_at_beat(3) == G7
    assert progression.chord_at_beat(5) == G7
    assert progression.chord_at_beat(6) == CMAJ7


def test_three_four_time() -> None:
    progression = parse_progression("Dm7 | G7 Cmaj7", beats_per_bar=3)
    assert progression.bars == ((DM7,), (G7, CMAJ7))
    assert progression.chord_at_beat(3) == G7
    assert progression.chord_at_beat(4.5) == CMAJ7
    assert progression.chord_at_beat(6) == DM7


def test_layout_is_free() -> None:
    text = """
        | Dm7 G7 | Cmaj7 |
        | % | A7 ||

        Dm7 G7 | Cmaj7
    """
    progression = parse_progression(text)
    assert progression.bars == (
        (DM7, G7),
        (CMAJ7,),
        (CMAJ7,),
        (A7,),
        (DM7, G7),
        (CMAJ7,),
    )


def test_bar_chords_wraps() -> None:
    progression = parse_progression("| Dm7 G7 | Cmaj7 |")
    assert progression.bar_chords(0) == (DM7, G7)
    assert progression.bar_chords(1) == (CMAJ7,)
    assert progression.bar_chords(2) == (DM7, G7)
    assert progression.bar_chords(-1) == (CMAJ7,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("| Dm7 | G7 | Xm7 |", "bar 3: unknown chord symbol 'Xm7'"),
        ("| Dm7 |\n| G7 | C7 Cfoo |", "bar 3: unknown chord symbol 'Cfoo'"),
        ("| Dm7 | | G7 |", "bar 2: empty bar"),
        ("| % | G7 |", "bar 1: "),
        ("| / G7 |", "bar 1: "),
        ("| Dm7 | G7 % |", "bar 2: unknown chord symbol '%'"),
        ("", "bar 1: "),
        ("  |  \n ", "bar 1: "),
    ],
)
def test_errors_name_the_bar(text: str, message: str) -> None:
    with pytest.raises(LeadSheetError, match=re.escape(message)):
        parse_progression(text)


def test_timeline_ticks_and_merged_repeats() -> None:
    timeline = parse_progression("| Dm7 G7 | Cmaj7 | % | A7 |").timeline(ticks_per_beat=2)
    assert timeline.changes == ((0, DM7), (4, G7), (8, CMAJ7), (24, A7))
    assert timeline.loop_ticks == 32
    assert timeline.chord_at(20) == CMAJ7
    assert timeline.chord_at(33) == DM7
    assert timeline.next_change_after(8) == (24, A7)
    assert timeline.next_change_after(24) == (32, DM7)


def test_timeline_needs_chords_on_ticks() -> None:
    progression = parse_progression("| Dm7 G7 Cmaj7 | A7 |")
    with pytest.raises(LeadSheetError, match="bar 1"):
        progression.timeline(ticks_per_beat=4)
    timeline = progression.timeline(ticks_per_beat=3)
    assert timeline.changes == ((0, DM7), (4, G7), (8, CMAJ7), (12, A7))


@pytest.mark.parametrize("ticks_per_beat", [1, 3, 12, 24])
def test_timeline_agrees_with_chord_at_beat(ticks_per_beat: int) -> None:
    progression = preset("rhythm-changes")
    timeline = progression.timeline(ticks_per_beat)
    for tick in range(0, 2 * progression.n_bars * 4 * ticks_per_beat, max(1, ticks_per_beat // 3)):
        assert timeline.chord_at(tick) == progression.chord_at_beat(Fraction(tick, ticks_per_beat))


@pytest.mark.parametrize(
    "text",
    [
        "| Dm7 G7 | Cmaj7 | % | A7 |",
        "| Dm7 / / G7 | / Cmaj7 | C7(b9,#11) | F#m7b5 B7alt | NC | Bb6/9 | Eb-j7 |",
        "| C7 | % | % | % | F7 | % | C7 | % | G7 | F7 | C7 | G7 |",
    ],
)
def test_to_text_round_trips(text: str) -> None:
    progression = parse_progression(text, beats_per_bar=4)
    again = parse_progression(progression.to_text())
    assert again.bars == progression.bars


def test_to_text_layout() -> None:
    progression = parse_progression("Dm7 G7 | Cmaj7 | Cmaj7 | A7 | Dm7")
    assert progression.to_text() == "| Dm7 G7 | Cmaj7 | % | A7 |\n| Dm7 |"


def test_progression_validates() -> None:
    with pytest.raises(LeadSheetError):
        Progression(bars=())
    with pytest.raises(LeadSheetError, match="bar 2"):
        Progression(bars=((DM7,), ()))
    with pytest.raises(LeadSheetError):
        Progression(bars=((DM7,),), beats_per_bar=0)


# Expected first bars and lengths: real values, so a typo in a preset fails here.
PRESET_FACTS = {
    "blues-f": (12, ("F7",), ("Gm7", "C7")),
    "blues-bb": (12, ("Bb7",), ("Cm7", "F7")),
    "minor-blues": (12, ("Cm7",), ("Dm7b5", "G7alt")),
    "rhythm-changes": (32, ("Bb6", "G7"), ("Bb6",)),
    "ii-v-i-cycle": (24, ("Dm7", "G7"), ("Gmaj7",)),
    "dorian-vamp": (32, ("Dm7",), ("Dm7",)),
    "aaba-32": (32, ("Fmaj7",), ("F6",)),
}


def test_preset_names() -> None:
    assert preset_names() == sorted(PRESET_FACTS)
    assert set(PRESETS) == set(PRESET_FACTS)


@pytest.mark.parametrize("name", sorted(PRESET_FACTS))
def test_presets_parse(name: str) -> None:
    n_bars, first, last = PRESET_FACTS[name]
    progression = preset(name)
    assert progression.name == name
    assert progression.n_bars == n_bars
    assert tuple(c.symbol for c in progression.bars[0]) == first
    assert tuple(c.symbol for c in progression.bars[-1]) == last
    assert parse_progression(progression.to_text()).bars == progression.bars
    progression.timeline(ticks_per_beat=1)  # every preset's chords fall on beats


def test_rhythm_changes_bridge() -> None:
    bridge = preset("rhythm-changes").bars[16:24]
    assert [bar[0].symbol for bar in bridge] == ["D7", "D7", "G7", "G7", "C7", "C7", "F7", "F7"]


def test_ii_v_i_cycle_visits_all_keys() -> None:
    tonics = {bar[0].root for bar in preset("ii-v-i-cycle").bars[1::2]}
    assert tonics == set(range(12))


def test_dorian_vamp_is_so_what_form() -> None:
    roots = [bar[0].root for bar in preset("dorian-vamp").bars]
    assert roots == [2] * 16 + [3] * 8 + [2] * 8


def test_unknown_preset_lists_names() -> None:
    with pytest.raises(LeadSheetError, match="blues-f") as info:
        preset("nope")
    assert "'nope'" in str(info.value)
