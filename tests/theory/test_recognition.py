import pytest

from live_jazz.theory import parse_chord, recognize_chord
from live_jazz.theory.recognition import TEMPLATES, rank_chords

ROOT_NAMES = {0: "C", 2: "D", 5: "F", 6: "F#", 8: "Ab", 10: "Bb", 11: "B"}


def voicing(root: int, suffix: str) -> list[int]:
    """MIDI pitches of the chord in close root position from octave 4."""
    return [60 + root + interval for interval in sorted(parse_chord("C" + suffix).tones)]


def weights(pitches: list[int]) -> dict[int, float]:
    out: dict[int, float] = {}
    for pitch in pitches:
        out[pitch % 12] = out.get(pitch % 12, 0.0) + 1.0
    return out


@pytest.mark.parametrize("root", sorted(ROOT_NAMES))
@pytest.mark.parametrize("suffix", [t.suffix for t in TEMPLATES])
def test_root_position(root: int, suffix: str) -> None:
    pitches = voicing(root, suffix)
    chord = recognize_chord(weights(pitches), bass=root)
    assert chord is not None
    assert chord.symbol == ROOT_NAMES[root] + suffix
    assert chord.pitch_classes() == {p % 12 for p in pitches}


@pytest.mark.parametrize("root", [0, 5, 10])
@pytest.mark.parametrize("suffix", ["", "m", "7", "maj7"])
def test_without_bass_triads_and_sevenths_are_named(root: int, suffix: str) -> None:
    chord = recognize_chord(weights(voicing(root, suffix)))
    assert chord is not None and chord.symbol == ROOT_NAMES[root] + suffix


@pytest.mark.parametrize(
    ("suffix", "bass_interval"),
    [
        ("", 4),
        ("", 7),
        ("m", 3),
        ("m", 7),
        ("7", 4),
        ("7", 7),
        ("7", 10),
        ("maj7", 4),
        ("maj7", 7),
        ("maj7", 11),
        ("m7", 7),
        ("m7", 10),
        ("m7b5", 6),
        ("m7b5", 10),
        ("dim", 3),
        ("sus4", 7),
    ],
)
@pytest.mark.parametrize("root", [0, 2, 10])
def test_inversions_keep_the_root_and_name_the_bass(
    root: int, suffix: str, bass_interval: int
) -> None:
    bass = (root + bass_interval) % 12
    # Inverted voicing: the bass note an octave down, the rest above it.
    pitches = [48 + bass] + voicing(root, suffix)
    chord = recognize_chord(weights(pitches), bass=bass)
    assert chord is not None
    names = {0: "C", 2: "D", 10: "Bb"}
    assert chord.root == root
    assert chord.bass == bass
    assert chord.symbol.startswith(names[root] + suffix + "/")


@pytest.mark.parametrize(
    ("pitch_classes", "bass", "symbol"),
    [
        # The same four notes; the bass decides which chord they are.
        ((0, 4, 7, 9), 0, "C6"),
        ((0, 4, 7, 9), 9, "Am7"),
        ((3, 7, 10, 0), 3, "Eb6"),
        ((3, 7, 10, 0), 0, "Cm7"),
        ((0, 3, 6, 10), 0, "Cm7b5"),
        ((0, 3, 6, 10), 3, "Ebm6"),
        ((0, 5, 7), 0, "Csus4"),
        ((0, 5, 7), 7, "Csus4/G"),
        # Symmetric chords take the bass as their root.
        ((0, 3, 6, 9), 6, "F#dim7"),
        ((0, 4, 8), 4, "E+"),
    ],
)
def test_bass_decides_between_readings_of_the_same_notes(
    pitch_classes: tuple[int, ...], bass: int, symbol: str
) -> None:
    chord = recognize_chord(dict.fromkeys(pitch_classes, 1.0), bass=bass)
    assert chord is not None and chord.symbol == symbol


def test_triad_is_not_taken_for_a_seventh_chord_and_back() -> None:
    assert recognize_chord({0: 1, 4: 1, 7: 1}).symbol == "C"
    assert recognize_chord({0: 1, 4: 1, 7: 1, 11: 1}).symbol == "Cmaj7"
    assert recognize_chord({0: 1, 4: 1, 7: 1, 10: 1}).symbol == "C7"


def test_weights_by_duration_outvote_a_passing_tone() -> None:
    # G7 held for a bar, an A passing by for a sixteenth.
    chord = recognize_chord({7: 4.0, 11: 4.0, 2: 4.0, 5: 4.0, 9: 0.25}, bass=7)
    assert chord is not None and chord.symbol == "G7"


def test_midi_pitches_fold_to_pitch_classes_and_sequences_work() -> None:
    assert recognize_chord({62: 2.0, 65: 1.0, 69: 1.0, 72: 1.0}).symbol == "Dm7"
    twelve = [0.0] * 12
    for pc in (2, 5, 9, 0):
        twelve[pc] = 1.0
    assert recognize_chord(twelve).symbol == "Dm7"


@pytest.mark.parametrize(
    ("flats", "symbol"), [(None, "Bb7"), (True, "Bb7"), (False, "A#7")]
)
def test_spelling(flats: bool | None, symbol: str) -> None:
    assert recognize_chord({10: 1, 2: 1, 5: 1, 8: 1}, flats=flats).symbol == symbol


def test_f_sharp_is_spelled_with_a_sharp_by_default() -> None:
    assert recognize_chord({6: 1, 9: 1, 1: 1, 4: 1}).symbol == "F#m7"


@pytest.mark.parametrize("weights_", [{}, [0.0] * 12, dict.fromkeys(range(12), 1.0)])
def test_nothing_or_a_cluster_is_no_chord(weights_: object) -> None:
    assert recognize_chord(weights_) is None  # type: ignore[arg-type]


def test_a_lone_note_is_no_chord_but_a_fifth_is_a_triad() -> None:
    assert recognize_chord({0: 1.0}) is None
    assert recognize_chord({0: 1.0, 7: 1.0}, bass=0).symbol == "C"


def test_a_threshold_can_be_asked_for() -> None:
    assert recognize_chord({0: 1, 4: 1, 7: 1, 1: 1}, min_score=0.9) is None
    assert recognize_chord({0: 1, 4: 1, 7: 1, 1: 1}).symbol == "C"


@pytest.mark.parametrize(
    ("pitch_classes", "bass", "symbol"),
    [
        # A Metheny-style Gm9 (G Bb D F A) over G: not Dsus4 or Bbmaj7.
        ((7, 10, 2, 5, 9), 7, "Gm9"),
        # Em7's notes over C are Cmaj9; without the C they stay Em7.
        ((0, 4, 7, 11, 2), 0, "Cmaj9"),
        ((4, 7, 11, 2), 4, "Em7"),
        # Bbmaj7 (Bb D F A) is not taken for a Gm9 without its root.
        ((10, 2, 5, 9), 10, "Bbmaj7"),
    ],
)
def test_ninth_chords(pitch_classes: tuple[int, ...], bass: int, symbol: str) -> None:
    chord = recognize_chord(dict.fromkeys(pitch_classes, 1.0), bass=bass)
    assert chord is not None and chord.symbol == symbol


def test_negative_weight_is_an_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        recognize_chord({0: -1.0})


def test_ranking_puts_the_best_first() -> None:
    ranked = rank_chords({0: 1, 4: 1, 7: 1})
    assert (ranked[0].root, ranked[0].template.suffix) == (0, "")
    assert ranked[0].match == pytest.approx(1.0)
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:], strict=False))
