"""``live-jazz transcribe FILE.wav [--out FILE.mid] [--json]``: the live tracker over a file.

The file is fed to the tracker block by block, exactly as the microphone's blocks would be, so
what it prints is what the live path would have heard, and when (``known_s``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from live_jazz.audio_in.notes import TrackedNote, track_notes
from live_jazz.audio_in.tracker import Tracker
from live_jazz.audio_in.wavfile import AudioFileError, read_audio
from live_jazz.cli.audio import add_tracker_options, tracker_config
from live_jazz.command import CliError, Command, tell
from live_jazz.music.midifile import PlayedNote, Track, write_midi

TEMPO = 120.0
"""The MIDI file's tempo: 2 beats a second, so ticks map straight back to seconds."""
TICKS_PER_SECOND = 24.0
"""At TEMPO, 12 ticks a beat."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.wav", help="the recording (mono or "
                        "stereo PCM WAV; float WAV, FLAC, MP3 and Vorbis with the synth extra)")
    parser.add_argument("--out", type=Path, metavar="FILE.mid",
                        help="write the notes to a standard MIDI file (at 120 BPM)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: sample_rate, block_frames, notes")
    add_tracker_options(parser)


def _run(args: argparse.Namespace) -> int:
    try:
        samples, rate = read_audio(args.file)
    except AudioFileError as error:
        raise CliError(str(error)) from None
    tracker = Tracker(rate, tracker_config(args))
    notes = track_notes(samples, tracker)
    if args.out is not None:
        _write(args.out, notes)
    if args.json:
        tell(json.dumps({"sample_rate": rate, "block_frames": tracker.hop,
                         "notes": [note.as_json() for note in notes]}))
    else:
        for note in notes:
            tell(f"{note.onset_s:9.3f} s  pitch {note.pitch:3d}  until {note.end_s:8.3f} s  "
                 f"(known at {note.known_s:.3f} s)")
        tell(f"{len(notes)} notes in {samples.size / rate:.1f} s of {args.file}"
             + (f"; written to {args.out}" if args.out is not None else ""))
    return 0


def _write(path: Path, notes: list[TrackedNote]) -> None:
    played = [PlayedNote(n.onset_s * TICKS_PER_SECOND,
                         max(1.0, (n.end_s - n.onset_s) * TICKS_PER_SECOND), n.pitch, n.velocity)
              for n in notes]
    try:
        write_midi(path, [Track("audio", 0, played)], ((0.0, TEMPO),), swing=0.5)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None


COMMAND = Command(
    name="transcribe",
    help="the notes a recording's monophonic player plays, heard by the live tracker",
    configure=_configure,
    run=_run,
)
