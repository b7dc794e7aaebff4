"""The articulation measured on a corpus: the gates of its note values."""

from live_jazz.encoding import Note
from live_jazz.encoding.articulation import MIN_NOTES, QUANTILES
from live_jazz.theory import ChordTimeline, parse_chord
from training.articulation import measure_articulation
from training.solo import Solo


def _solo(name: str, sounding: int) -> Solo:
    """Eighth notes (6 ticks apart) each sounding ``sounding`` ticks."""
    notes = tuple(Note(6 * i, sounding, 60 + i % 5) for i in range(MIN_NOTES))
    return Solo(name, notes, ChordTimeline(((0, parse_chord("C7")),)))


def test_eighths_played_half_short_and_held_give_gates_from_half_to_whole():
    articulation = measure_articulation([_solo("short", 3), _solo("held", 6)])
    gates = articulation.gates[6]
    assert len(gates) == QUANTILES
    assert gates[0] == 0.5 and gates[-1] == 1.0
