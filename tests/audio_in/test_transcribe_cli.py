"""``live-jazz transcribe``: its JSON, its MIDI file, its one-line errors."""

from __future__ import annotations

import json
import wave

import mido
import numpy as np
import pytest

from live_jazz.cli.main import main
from tests.audio_in.signals import RATE, Tone, render


@pytest.fixture()
def take(tmp_path):
    samples = render([Tone(62, 0.6, 0.3), Tone(65, 1.0, 0.3)], 1.6, noise_db=-60.0)
    path = tmp_path / "take.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def test_json_is_one_object_with_the_notes(take, capsys):
    assert main(["transcribe", str(take), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["sample_rate"] == RATE
    assert found["block_frames"] == 256
    assert [n["pitch"] for n in found["notes"]] == [62, 65]
    first = found["notes"][0]
    assert set(first) == {"pitch", "onset_s", "known_s", "end_s"}
    assert first["onset_s"] == pytest.approx(0.6, abs=0.03)
    assert first["onset_s"] <= first["known_s"] < first["end_s"]


def test_out_writes_the_notes_to_a_midi_file(take, tmp_path, capsys):
    out = tmp_path / "take.mid"
    assert main(["transcribe", str(take), "--out", str(out)]) == 0
    assert "2 notes" in capsys.readouterr().out
    notes = [m.note for m in mido.MidiFile(out) if m.type == "note_on" and m.velocity > 0]
    assert notes == [62, 65]


def test_tuning_is_an_option(take, capsys):
    assert main(["transcribe", str(take), "--json", "--tuning", "466.16"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [n["pitch"] for n in found["notes"]] == [61, 64]


@pytest.mark.parametrize("content", [b"", b"hello", bytes(range(256)) * 4])
def test_a_bad_file_is_one_line_and_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    assert main(["transcribe", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "bad.wav" in err


def test_a_silent_file_has_no_notes(tmp_path, capsys):
    path = tmp_path / "quiet.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.zeros(RATE, dtype="<i2").tobytes())
    assert main(["transcribe", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == []
