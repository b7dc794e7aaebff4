"""The instrument's controls in one table: the main screen's key bindings, the help screen and the
command palette are all made from it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Control:
    """One control."""

    action: str
    """The main screen's action, with its arguments, e.g. ``tempo(10)``."""
    keys: tuple[str, ...]
    """Textual key names that trigger it."""
    key_display: str
    """How the keys are written in the footer and the help screen."""
    label: str
    """Short name (footer)."""
    help: str
    """One line (help screen, command palette)."""
    footer: bool = True
    """Shown in the footer (the others are on the help screen and in the palette)."""
    group: str | None = None
    """Footer group: controls sharing one label, e.g. tempo up and down."""


CONTROLS: tuple[Control, ...] = (
    Control("toggle_play", ("space",), "space", "play", "Start or stop the transport"),
    # Second: the footer is cut on a narrow terminal, and this key leads to all the others.
    Control("help", ("question_mark", "f1"), "?", "help", "Show every key"),
    Control("tempo(1)", ("up",), "↑", "tempo", "Tempo +1 BPM", group="tempo"),
    Control("tempo(-1)", ("down",), "↓", "tempo", "Tempo -1 BPM", group="tempo"),
    Control("tempo(10)", ("shift+up",), "⇧↑", "tempo +10", "Tempo +10 BPM", footer=False),
    Control("tempo(-10)", ("shift+down",), "⇧↓", "tempo -10", "Tempo -10 BPM", footer=False),
    Control("temperature(-0.05)", ("left",), "←", "temp", "Temperature -0.05 (safer)",
            group="temperature"),
    Control("temperature(0.05)", ("right",), "→", "temp", "Temperature +0.05 (wilder)",
            group="temperature"),
    Control("swing", ("s",), "s", "swing", "Next swing: auto, straight, light, medium, "
            "triplet, hard"),
    Control("intensity(-0.1)", ("left_square_bracket",), "[", "intensity",
            "Intensity -0.1 (narrower dynamics)", footer=False),
    Control("intensity(0.1)", ("right_square_bracket",), "]", "intensity",
            "Intensity +0.1 (wider dynamics)", footer=False),
    Control("mode", ("m",), "m", "mode", "Next mode: solo, trade, answer"),
    Control("answer_style", ("a",), "a", "answer", "Next answer style: auto, echo, develop, "
            "contrast", footer=False),
    Control("reset_model", ("r",), "r", "reset", "Reset the LSTM's state (a fresh solo)",
            footer=False),
    Control("panic", ("p",), "p", "panic", "All notes off, now"),
    Control("edit_chords", ("c",), "c", "chords", "Edit the progression"),
    Control("tap", ("t",), "t", "tap", "Tap tempo: tap on the beat, twice or more",
            footer=False),
    Control("ports", ("o",), "o", "output", "Output: built-in voice or a MIDI port"),
    Control("learn", ("l",), "l", "learn", "Learn a control: pick it, move a knob or pad",
            footer=False),
    Control("app.quit", ("q",), "q", "quit", "Stop cleanly (note-offs, recording closed) and "
            "quit"),
)


def main_bindings() -> list[BindingType]:
    """The main screen's bindings."""
    groups: dict[str, Binding.Group] = {}
    bindings: list[BindingType] = []
    for control in CONTROLS:
        group = None
        if control.group is not None:
            group = groups.setdefault(control.group, Binding.Group(control.label, compact=True))
        for key in control.keys:
            bindings.append(Binding(
                key, control.action, control.label, show=control.footer and key == control.keys[0],
                key_display=control.key_display, tooltip=control.help, group=group,
            ))
    return bindings
