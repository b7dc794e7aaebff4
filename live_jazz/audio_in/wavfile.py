"""Reading a recording for ``transcribe`` and the benchmark: float mono samples and their rate.

PCM WAV (8, 16, 24 or 32 bits) through the standard library; anything else (float WAV, FLAC,
MP3, Vorbis) through miniaudio's decoders where the ``synth`` extra is installed. A file that is
not audio, holds no samples, or is in a format neither reads raises ``AudioFileError`` (one
line for the user).
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


class AudioFileError(ValueError):
    """The file cannot be read as audio (the message is one line)."""


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """(float32 mono samples in [-1, 1], sample rate) of the file at ``path``."""
    try:
        samples, rate = _read_pcm_wav(path)
    except (wave.Error, EOFError) as error:
        samples, rate = _read_with_miniaudio(path, str(error))
    except OSError as error:
        raise AudioFileError(f"{path}: {error.strerror or error}") from None
    if samples.size == 0:
        raise AudioFileError(f"{path}: no audio in it")
    if rate <= 0:
        raise AudioFileError(f"{path}: sample rate {rate}")
    return samples, rate


def _read_pcm_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as source:
        channels, width, rate = source.getnchannels(), source.getsampwidth(), \
            source.getframerate()
        raw = source.readframes(source.getnframes())
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 3:
        bytes3 = np.frombuffer(raw[: len(raw) - len(raw) % 3], dtype=np.uint8).reshape(-1, 3)
        ints = (bytes3[:, 0].astype(np.int32) | (bytes3[:, 1].astype(np.int32) << 8)
                | (bytes3[:, 2].astype(np.int32) << 16))
        data = (np.where(ints >= 1 << 23, ints - (1 << 24), ints) / float(1 << 23))
    elif width in (2, 4):
        dtype = "<i2" if width == 2 else "<i4"
        data = np.frombuffer(raw[: len(raw) - len(raw) % width], dtype=dtype) \
            / float(1 << (8 * width - 1))
    else:
        raise wave.Error(f"{8 * width}-bit samples")
    return _mono(np.asarray(data, dtype=np.float32), channels), rate


def _read_with_miniaudio(path: Path, why: str) -> tuple[np.ndarray, int]:
    why = why or "too short"
    try:
        import miniaudio
    except ImportError:
        raise AudioFileError(f"{path}: not a PCM WAV file ({why}); other formats need "
                             f"miniaudio: pip install -e '.[synth]'") from None
    try:
        decoded = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.FLOAT32)
    except miniaudio.DecodeError:
        raise AudioFileError(f"{path}: not an audio file this can read ({why})") from None
    data = np.asarray(decoded.samples, dtype=np.float32)
    return _mono(data, decoded.nchannels), decoded.sample_rate


def _mono(data: np.ndarray, channels: int) -> np.ndarray:
    if channels > 1:
        data = data[: data.size - data.size % channels].reshape(-1, channels).mean(axis=1)
    return np.ascontiguousarray(data, dtype=np.float32)
