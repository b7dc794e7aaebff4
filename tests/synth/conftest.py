"""The built-in voice's fixtures: FluidSynth and a soundfont, or a clean skip (a failure with
``LIVE_JAZZ_REQUIRE_SYNTH=1``, as on CI, which installs them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def soundfont() -> Path:
    """A usable soundfont with FluidSynth able to load it."""
    from live_jazz.synth.soundfont import SoundFontError, find_soundfont
    from live_jazz.synth.voice import VoiceError, open_voice

    try:
        path = find_soundfont()
        open_voice(path, {0: 0}).close()
    except (SoundFontError, VoiceError) as error:
        if os.environ.get("LIVE_JAZZ_REQUIRE_SYNTH") == "1":
            pytest.fail(f"the built-in voice is required (LIVE_JAZZ_REQUIRE_SYNTH=1): {error}")
        pytest.skip(str(error))
    return path
