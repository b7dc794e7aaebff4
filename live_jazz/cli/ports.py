"""``live-jazz ports``: the MIDI ports live-jazz can listen to and play into."""

from __future__ import annotations

import argparse

from live_jazz.audio_in.capture import capture_devices
from live_jazz.command import CliError, Command
from live_jazz.midi_io.backends import API_NAMES, list_ports, resolve_api
from live_jazz.midi_io.ports import PortError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--midi-api", choices=API_NAMES, default="auto",
        help="MIDI system: auto (ALSA on Linux, JACK when there is no ALSA sequencer; CoreMIDI "
             "on macOS), alsa, jack or coremidi (default: auto)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        api = resolve_api(args.midi_api)
        inputs, outputs = list_ports(api)
    except PortError as error:
        raise CliError(str(error)) from None
    print(f"MIDI API: {api.display_name}")
    for title, names in (("inputs (--in-port)", inputs), ("outputs (--out-port)", outputs),
                         ("audio inputs (--audio-in)", capture_devices())):
        print(f"{title}:")
        for name in names or ["(none)"]:
            print(f"  {name}")
    return 0


COMMAND = Command(
    name="ports",
    help="List the MIDI input and output ports, and the audio inputs.",
    configure=configure,
    run=run,
)
