"""Temperature by where the line is in its phrase: a little freer where a phrase starts, a
little surer inside a line.

Sampled at one temperature throughout, the model's lines broke off too soon: over the tune
split's solos it played 48 phrases (runs of notes between rests) a solo where the players play
42, its longest tenth of lines ended after 19 notes where theirs run to 23, and it played 5%
fewer notes. Each step's small chance of a rest adds up along a line. Sharpening the
distribution inside a line (once two notes have sounded since the last rest) and widening it
where a phrase starts brought both to the players' (``bench music --split tune``;
weights/README.md has the table). The multipliers apply to whatever temperature is set; 0
(greedy) stays 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from live_jazz.encoding.phrase import PhraseContext


@dataclass(frozen=True)
class PhraseTemperature:
    """Multipliers of the sampling temperature by the phrase so far."""

    start: float = 1.05
    """Where a phrase starts (fewer than ``notes`` notes since the last rest)."""
    inside: float = 0.9
    """Inside a line (``notes`` or more notes since the last rest)."""
    notes: int = 2
    """Notes since the last rest from which the line counts as under way."""

    def __post_init__(self) -> None:
        if not (self.start > 0.0 and self.inside > 0.0 and self.notes >= 0):
            raise ValueError("phrase temperature multipliers must be > 0 and notes >= 0")

    def factor(self, phrase: PhraseContext) -> float:
        """The multiplier for the next value after ``phrase``."""
        return self.inside if phrase.notes >= self.notes else self.start


PHRASE_TEMPERATURE = PhraseTemperature()
"""The default, chosen on the tune split."""
FLAT_TEMPERATURE = PhraseTemperature(1.0, 1.0)
"""One temperature throughout (as before issue 19)."""
