"""The default output on Windows (no virtual ports there), from fake port lists."""

from __future__ import annotations

import pytest

from live_jazz.midi_io.windows import NO_OUTPUT, choose_windows_output

WAVETABLE = "Microsoft GS Wavetable Synth 0"
LOOPMIDI = "loopMIDI Port 1"


@pytest.mark.parametrize(("outputs", "voice", "kind", "port"), [
    ([WAVETABLE, LOOPMIDI], True, "port", LOOPMIDI),  # a loopback is there for a DAW
    ([WAVETABLE, "LoopBe Internal MIDI 2"], False, "port", "LoopBe Internal MIDI 2"),
    ([WAVETABLE, "USB Keystation 3"], True, "voice", None),  # sound at once, the better voice
    ([WAVETABLE, "USB Keystation 3"], False, "port", WAVETABLE),  # sound at once anyway
])
def test_the_default_output_and_why(outputs: list[str], voice: bool, kind: str,
                                    port: str | None):
    choice = choose_windows_output(outputs, voice)
    assert (choice.kind, choice.port) == (kind, port)
    assert choice.reason and "\n" not in choice.reason
    if port is not None:
        assert port in choice.reason


def test_nothing_to_play_into_says_what_to_install():
    with pytest.raises(ValueError) as caught:
        choose_windows_output(["USB Keystation 3"], False)
    assert str(caught.value) == NO_OUTPUT
    assert "loopMIDI" in NO_OUTPUT and "--out-port" in NO_OUTPUT and "[synth]" in NO_OUTPUT


def test_winmm_is_named_in_the_help(capsys: pytest.CaptureFixture[str]):
    from live_jazz.cli.main import main

    with pytest.raises(SystemExit):
        main(["play", "--help"])
    assert "winmm" in capsys.readouterr().out
