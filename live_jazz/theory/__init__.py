"""Music theory on plain ints: pitch classes, chord symbols, chord scales, lead sheets.

Pure functions and frozen dataclasses; no I/O and nothing beyond the standard library.
"""

from live_jazz.theory.chords import NO_CHORD, Chord, ChordSymbolError, parse_chord
from live_jazz.theory.leadsheet import (
    PRESETS,
    LeadSheetError,
    Progression,
    parse_progression,
    preset,
    preset_names,
)
from live_jazz.theory.pitch import note_name, parse_pitch_class, pitch_class_name
from live_jazz.theory.recognition import recognize_chord
from live_jazz.theory.scales import SCALES
from live_jazz.theory.timeline import ChordSource, ChordTimeline

__all__ = [
    "NO_CHORD",
    "PRESETS",
    "SCALES",
    "Chord",
    "ChordSymbolError",
    "ChordSource",
    "ChordTimeline",
    "LeadSheetError",
    "Progression",
    "note_name",
    "parse_chord",
    "parse_pitch_class",
    "parse_progression",
    "pitch_class_name",
    "preset",
    "preset_names",
    "recognize_chord",
]
