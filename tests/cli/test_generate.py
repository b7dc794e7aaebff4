"""``live-jazz generate``: a seeded solo with its comping in a standard MIDI file."""

from __future__ import annotations

import io
from pathlib import Path

import mido
import pytest

from live_jazz.cli.generate import ProgressBar
from live_jazz.cli.main import main
from live_jazz.encoding import Note
from live_jazz.music.midifile import PPQ, Track, write_midi


def _generate(weights: Path, out: Path, *extra: str) -> int:
    return main(["generate", "--weights", str(weights), "--out", str(out), "--quiet", *extra])


def _notes(track: mido.MidiTrack) -> list[tuple[int, int, int]]:
    """(on tick, off tick, pitch) of every note, checking that each note-on has its note-off."""
    now, sounding, notes = 0, {}, []
    for message in track:
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            assert message.note not in sounding, "a note-on before the last one's note-off"
            sounding[message.note] = now
        elif message.type in ("note_on", "note_off"):
            notes.append((sounding.pop(message.note), now, message.note))
    assert not sounding, "note-ons without note-offs"
    return notes


def test_the_file_has_the_tracks_channels_tempo_and_every_note_off(
    random_weights_dir: Path, tmp_path: Path
):
    out = tmp_path / "solo.mid"
    assert _generate(random_weights_dir, out, "--preset", "blues-f", "--bars", "15",
                     "--tempo", "150", "--swing", "0.5", "--seed", "3") == 0
    midi = mido.MidiFile(out)
    tracks = {t.name: t for t in midi.tracks}
    assert set(tracks) == {"tempo", "improviser", "chords"}
    for name, channel in (("improviser", 0), ("chords", 1)):
        assert {m.channel for m in tracks[name] if m.type.startswith("note")} == {channel}
    meta = list(tracks["tempo"])
    assert [round(mido.tempo2bpm(m.tempo)) for m in meta if m.type == "set_tempo"] == [150]
    assert [(m.numerator, m.denominator) for m in meta if m.type == "time_signature"] == [(4, 4)]
    end = 15 * 4 * PPQ  # the comping's last bar ends on a push, cut here
    solo, chords = _notes(tracks["improviser"]), _notes(tracks["chords"])
    assert solo and max(off for _, off, _ in solo) <= end
    assert max(off for _, off, _ in chords) <= end
    assert max(on for on, _, _ in chords) < end - PPQ // 2  # no push into a bar not played
    # The 12-bar form loops to fill 15 bars: the comping goes on into the second chorus.
    assert max(on for on, _, _ in chords) >= 12 * 4 * PPQ


def test_a_seed_gives_the_same_file(random_weights_dir: Path, tmp_path: Path):
    files = []
    for name, seed in (("a.mid", "5"), ("b.mid", "5"), ("c.mid", "6")):
        assert _generate(random_weights_dir, tmp_path / name, "--chords", "| Dm7 G7 | Cmaj7 |",
                         "--bars", "8", "--seed", seed, "--temperature", "0.8") == 0
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]
    assert files[0] != files[2]


def test_a_prime_is_heard_first_and_the_solo_answers_after_it(
    random_weights_dir: Path, tmp_path: Path
):
    phrase = tmp_path / "call.mid"
    write_midi(phrase, [Track("call", 0, [Note(0, 6, 62), Note(6, 6, 65), Note(12, 30, 69)])])
    args = ("--chords", "| Dm7 G7 | Cmaj7 |", "--bars", "4", "--seed", "2")
    assert _generate(random_weights_dir, tmp_path / "answer.mid", *args, "--prime",
                     str(phrase)) == 0
    assert _generate(random_weights_dir, tmp_path / "plain.mid", *args) == 0
    answer = {t.name: t for t in mido.MidiFile(tmp_path / "answer.mid").tracks}
    assert [p for _, _, p in _notes(answer["call"])] == [62, 65, 69]
    assert {m.channel for m in answer["call"] if m.type.startswith("note")} == {2}
    solo = _notes(answer["improviser"])
    assert min(on for on, _, _ in solo) >= 4 * PPQ  # from the bar line after the call
    assert max(off for _, off, _ in solo) <= 5 * 4 * PPQ
    plain = _notes({t.name: t for t in mido.MidiFile(tmp_path / "plain.mid").tracks}["improviser"])
    assert [p for _, _, p in solo] != [p for _, _, p in plain]


def test_the_answer_style_shapes_the_answer_to_a_prime(random_weights_dir: Path, tmp_path: Path):
    phrase = tmp_path / "call.mid"
    riff = [Note(bar * 48 + onset, 6, 60 + step + bar)
            for bar in range(4) for onset, step in ((0, 0), (18, 2), (42, 3))]
    write_midi(phrase, [Track("call", 0, riff)])
    solos = {}
    for style in ("echo", "develop", "contrast", "auto"):
        out = tmp_path / f"{style}.mid"
        assert _generate(random_weights_dir, out, "--preset", "blues-f", "--bars", "4",
                         "--seed", "4", "--prime", str(phrase), "--answer-style", style) == 0
        tracks = {t.name: t for t in mido.MidiFile(out).tracks}
        solos[style] = tuple(_notes(tracks["improviser"]))
    assert len({solos["echo"], solos["develop"], solos["contrast"]}) == 3
    assert solos["auto"] in (solos["echo"], solos["develop"])  # a busy call: never contrast


def test_the_summary_names_the_seed(random_weights_dir: Path, tmp_path: Path, capsys):
    out = tmp_path / "solo.mid"
    assert main(["generate", "--weights", str(random_weights_dir), "--out", str(out),
                 "--preset", "dorian-vamp", "--seed", "9"]) == 0
    assert "(seed 9)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chords", "| Dm7 Q7 |"], "--chords: bar 1: unknown chord symbol"),
        (["--preset", "nope"], "--preset: unknown preset 'nope'"),
        (["--chords", "| C D E F G |"], "--chords: bar 1: 5 chords"),
        (["--preset", "blues-f", "--swing", "0.9"], "swing must be 0.5-0.75"),
        (["--preset", "blues-f", "--tempo", "1000"], "tempo must be 20-400"),
        (["--preset", "blues-f", "--temperature", "-1"], "temperature must be 0-5"),
        (["--preset", "blues-f", "--top-p", "0"], "top-p must be in (0, 1]"),
        (["--preset", "blues-f", "--prime", "missing.mid"], "--prime: missing.mid: not a"),
        (["--preset", "blues-f", "--weights", "no-weights"], "no-weights: no arrays.npz"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_code_2(
    random_weights_dir: Path, tmp_path: Path, capsys, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    code = main(["generate", "--weights", str(random_weights_dir), "--out", "x.mid", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("live-jazz: error: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "x.mid").exists()


def test_an_empty_prime_and_a_missing_folder_are_errors(random_weights_dir: Path,
                                                         tmp_path: Path, capsys):
    empty = tmp_path / "empty.mid"
    write_midi(empty, [Track("call", 0, [])])
    assert _generate(random_weights_dir, tmp_path / "x.mid", "--preset", "blues-f", "--prime",
                     str(empty)) == 2
    assert "has no notes" in capsys.readouterr().err
    assert _generate(random_weights_dir, tmp_path / "no" / "x.mid", "--preset", "blues-f") == 2
    assert "--out: no folder" in capsys.readouterr().err


def test_the_progress_bar_counts_bars():
    stream = io.StringIO()
    progress = ProgressBar(stream, "rendering")
    for done in range(1, 101):
        progress(done, 100)
    text = stream.getvalue()
    assert text.endswith(f"\rrendering [{'#' * 30}] 100/100 bars\n")
    assert text.count("\r") == 31  # drawn at the first bar, then only when it grows
