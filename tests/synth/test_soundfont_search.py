"""Where the soundfont comes from: given, environment, system folders, shipped, else one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_jazz.synth.soundfont import (
    HOW_TO_GET,
    SHIPPED,
    SoundFontError,
    find_soundfont,
    system_folders,
)


def font(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF")
    return path


def test_a_given_path_wins_and_must_exist(tmp_path: Path):
    given = font(tmp_path / "mine.sf2")
    assert find_soundfont(given, environ={}, folders=[], shipped=None) == given
    with pytest.raises(SoundFontError, match="no soundfont .*missing.sf2"):
        find_soundfont(tmp_path / "missing.sf2", environ={}, folders=[], shipped=SHIPPED)


def test_the_environment_comes_before_the_system_folders(tmp_path: Path):
    env_font = font(tmp_path / "env.sf2")
    system = font(tmp_path / "system" / "FluidR3_GM.sf2").parent
    found = find_soundfont(environ={"LIVE_JAZZ_SOUNDFONT": str(env_font)}, folders=[system])
    assert found == env_font


def test_a_known_gm_font_is_preferred_in_a_folder(tmp_path: Path):
    folder = tmp_path / "sf2"
    font(folder / "aaa-drums.sf2")
    best = font(folder / "FluidR3_GM.sf2")
    (folder / "notes.txt").write_text("not a font")
    assert find_soundfont(environ={}, folders=[tmp_path / "none", folder]) == best


def test_the_shipped_font_is_the_last_resort(tmp_path: Path):
    assert find_soundfont(environ={}, folders=[tmp_path]) == SHIPPED
    assert SHIPPED.is_file() and SHIPPED.stat().st_size <= 10 * 2**20
    assert (SHIPPED.parent / "GPL-2.txt").is_file()


def test_none_found_says_how_to_get_one(tmp_path: Path):
    with pytest.raises(SoundFontError) as caught:
        find_soundfont(environ={}, folders=[tmp_path], shipped=None)
    assert str(caught.value) == HOW_TO_GET
    assert "--soundfont" in HOW_TO_GET and "\n" not in HOW_TO_GET


@pytest.mark.parametrize(("platform", "expected"), [
    ("linux", Path("/usr/share/sounds/sf2")),
    ("darwin", Path("/opt/homebrew/share/soundfonts")),
    ("win32", Path("C:/Users/me/AppData/Roaming/soundfonts")),
])
def test_the_usual_places_per_platform(platform: str, expected: Path):
    env = {"HOME": "/home/me", "APPDATA": "C:/Users/me/AppData/Roaming"}
    assert expected in system_folders(env, platform)
