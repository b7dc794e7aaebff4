"""The default output on Windows, where the MIDI API (WinMM) has no virtual ports, so the usual
default (a virtual port ``live-jazz`` for others to connect to) cannot be opened.

The choice, said in one line: a loopback port (loopMIDI, LoopBe, ...) when one exists, since
whoever installed one routes MIDI to a DAW through it; else the built-in voice when it can play;
else Windows' own GS wavetable synth port (sound at once, if plain); else an error that says
what to install. Pure: the port list and the voice's availability are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from live_jazz.command import install_hint

LOOPBACK_HINTS = ("loopmidi", "loopbe", "virtual midi", "rtpmidi", "midi yoke", "virmidi")
"""Names of loopback drivers (lower case, matched in the port's name)."""
WAVETABLE_HINT = "gs wavetable"
"""Windows' built-in synth: 'Microsoft GS Wavetable Synth 0'."""
NO_OUTPUT = (f"no MIDI output on Windows: install the built-in voice ({install_hint('synth')} "
             "and FluidSynth), or a loopback driver such as loopMIDI for a DAW, "
             "or name a port with --out-port")


@dataclass(frozen=True)
class WindowsOutput:
    """What to play into, and why (one line for the user)."""

    kind: Literal["port", "voice"]
    """An existing MIDI port, or the built-in voice."""
    port: str | None
    """The port's name (``kind == "port"``)."""
    reason: str
    """What was chosen and why."""


def choose_windows_output(outputs: Sequence[str], voice_available: bool) -> WindowsOutput:
    """The default output from the MIDI output ports there are; ValueError(NO_OUTPUT) if none
    will do."""
    for name in outputs:
        if any(hint in name.lower() for hint in LOOPBACK_HINTS):
            return WindowsOutput("port", name, f"playing into the loopback port {name!r} "
                                 "(connect your DAW to it); --synth for the built-in voice")
    if voice_available:
        return WindowsOutput("voice", None, "no virtual MIDI ports on Windows: playing "
                             "through the built-in voice (--out-port NAME for a MIDI port)")
    for name in outputs:
        if WAVETABLE_HINT in name.lower():
            return WindowsOutput("port", name, f"playing into {name!r}, Windows' own synth "
                                 "(the built-in voice sounds better: "
                                 f"{install_hint('synth')})")
    raise ValueError(NO_OUTPUT)
