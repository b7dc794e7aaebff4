"""Built-in lead sheets (chord changes only, 4/4), as text for `parse_progression`."""

from __future__ import annotations

_BLUES_F = """
| F7    | Bb7 | F7    | Cm7 F7 |
| Bb7   | Bo7 | F7    | Am7 D7 |
| Gm7   | C7  | F7 D7 | Gm7 C7 |
"""

_BLUES_BB = """
| Bb7    | Eb7 | Bb7    | Fm7 Bb7 |
| Eb7    | Eo7 | Bb7    | Dm7 G7  |
| Cm7    | F7  | Bb7 G7 | Cm7 F7  |
"""

# The iv goes through its own ii-V (Gm7b5 C7b9), bar 9 is the bVI7, bars 10 and 12 turn
# around on the altered V.
_MINOR_BLUES = """
| Cm7 | Fm7   | Cm7 | Gm7b5 C7b9  |
| Fm7 | %     | Cm7 | %           |
| Ab7 | G7alt | Cm7 | Dm7b5 G7alt |
"""

# AABA in Bb: I-vi-ii-V turnarounds, III7-VI7-II7-V7 bridge (each two bars).
_RHYTHM_A = """
| Bb6 G7  | Cm7 F7   | Dm7 G7 | Cm7 F7 |
| Fm7 Bb7 | Ebmaj7 Eo7 | Dm7 G7 | Cm7 F7 |
"""
_RHYTHM_A_FINAL = """
| Bb6 G7  | Cm7 F7   | Dm7 G7 | Cm7 F7 |
| Fm7 Bb7 | Ebmaj7 Eo7 | Cm7 F7 | Bb6    |
"""
_RHYTHM_BRIDGE = """
| D7 | % | G7 | % |
| C7 | % | F7 | % |
"""
_RHYTHM_CHANGES = _RHYTHM_A + _RHYTHM_A_FINAL + _RHYTHM_BRIDGE + _RHYTHM_A_FINAL

# ii-V in one bar, I for one bar, down the cycle of fourths through all 12 keys.
_II_V_I_CYCLE = """
| Dm7 G7   | Cmaj7  | Gm7 C7   | Fmaj7  | Cm7 F7   | Bbmaj7 | Fm7 Bb7  | Ebmaj7 |
| Bbm7 Eb7 | Abmaj7 | Ebm7 Ab7 | Dbmaj7 | Abm7 Db7 | Gbmaj7 | C#m7 F#7 | Bmaj7  |
| F#m7 B7  | Emaj7  | Bm7 E7   | Amaj7  | Em7 A7   | Dmaj7  | Am7 D7   | Gmaj7  |
"""

# "So What" form: 16 bars of D dorian, 8 a half step up, 8 back on D.
_DORIAN_VAMP = """
| Dm7  | % | % | % | % | % | % | % |
| Dm7  | % | % | % | % | % | % | % |
| Ebm7 | % | % | % | % | % | % | % |
| Dm7  | % | % | % | % | % | % | % |
"""

# An original AABA in F: I-ii-iii-VI turnarounds, a bridge to IV through its ii-V and back
# through a minor ii-V to ii.
_AABA_A1 = """
| Fmaj7   | Gm7 C7  | Am7 D7  | Gm7 C7 |
| Fmaj7   | Bb7     | Am7 D7  | Gm7 C7 |
"""
_AABA_A2 = """
| Fmaj7   | Gm7 C7  | Am7 D7  | Gm7 C7 |
| Fmaj7   | Bb7     | Gm7 C7  | F6     |
"""
_AABA_BRIDGE = """
| Cm7     | F7      | Bbmaj7  | %      |
| Am7b5   | D7b9    | Gm7     | C7     |
"""
_AABA_32 = _AABA_A1 + _AABA_A2 + _AABA_BRIDGE + _AABA_A2

PRESETS: dict[str, str] = {
    "blues-f": _BLUES_F,
    "blues-bb": _BLUES_BB,
    "minor-blues": _MINOR_BLUES,
    "rhythm-changes": _RHYTHM_CHANGES,
    "ii-v-i-cycle": _II_V_I_CYCLE,
    "dorian-vamp": _DORIAN_VAMP,
    "aaba-32": _AABA_32,
}
"""Preset name -> lead-sheet text."""
