"""Reading recordings: the PCM widths, stereo, and files that are not audio."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from live_jazz.audio_in.wavfile import AudioFileError, read_audio


def write(path, samples, width, channels=1, rate=44100):
    if width == 1:
        raw = (np.clip(samples, -1, 1) * 127 + 128).astype(np.uint8).tobytes()
    elif width == 3:
        ints = (np.clip(samples, -1, 1) * (2**23 - 1)).astype("<i4")
        raw = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints)
    else:
        dtype = "<i2" if width == 2 else "<i4"
        raw = (np.clip(samples, -1, 1) * (2 ** (8 * width - 1) - 1)).astype(dtype).tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(raw)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_every_pcm_width_reads_back(tmp_path, width):
    samples = 0.5 * np.sin(np.linspace(0, 20, 800))
    write(tmp_path / "a.wav", samples, width)
    read, rate = read_audio(tmp_path / "a.wav")
    assert rate == 44100
    assert np.allclose(read, samples, atol=0.02)


def test_stereo_is_mixed_to_mono(tmp_path):
    left, right = np.full(100, 0.5), np.full(100, -0.1)
    write(tmp_path / "s.wav", np.column_stack([left, right]).ravel(), 2, channels=2)
    read, _ = read_audio(tmp_path / "s.wav")
    assert read.shape == (100,)
    assert np.allclose(read, 0.2, atol=1e-3)


@pytest.mark.parametrize("content", [b"", b"not audio at all", b"RIFF\x00\x00\x00\x00WAVE"])
def test_what_is_not_audio_is_one_clear_error(tmp_path, content):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFileError, match="bad.wav"):
        read_audio(path)


def test_a_wav_without_samples_is_an_error(tmp_path):
    write(tmp_path / "empty.wav", np.zeros(0), 2)
    with pytest.raises(AudioFileError, match="no audio"):
        read_audio(tmp_path / "empty.wav")


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(AudioFileError, match="missing.wav"):
        read_audio(tmp_path / "missing.wav")
