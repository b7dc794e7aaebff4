"""The port screen's choice, restored at the next start unless the command line names one."""

from __future__ import annotations

import argparse

from live_jazz.cli.options import PlayOptions, add_engine_options, options_from_args
from live_jazz.cli.outputs import VIRTUAL, VOICE
from live_jazz.cli.tui import saved_output


def parse(*argv: str) -> tuple[PlayOptions, argparse.Namespace]:
    parser = argparse.ArgumentParser()
    add_engine_options(parser)
    args = parser.parse_args(list(argv))
    return options_from_args(args), args


def test_the_voice_is_restored_with_the_programs_given():
    options, args = parse("--midi-api", "alsa", "--solo-program", "57")
    restored = saved_output(options, VOICE, args)
    assert restored.synth is not None and restored.synth.solo_program == 56


def test_the_command_line_and_the_virtual_port_win():
    options, args = parse("--midi-api", "alsa", "--out-port", "FLUID")
    assert saved_output(options, VOICE, args) == options
    options, args = parse("--midi-api", "alsa")
    assert saved_output(options, VIRTUAL, args) == options
    assert saved_output(options, 3, args) == options  # a broken entry


def test_a_saved_port_that_is_not_there_now_is_not_asked_for():
    options, args = parse("--midi-api", "test")
    assert saved_output(options, "FLUID Synth:0", args) == options
