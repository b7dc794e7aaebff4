"""Where the built-in voice finds a General MIDI soundfont, without a hunt.

Order: the path the user gave (``--soundfont``), ``$LIVE_JAZZ_SOUNDFONT``, the usual system
places (Debian/Ubuntu/Fedora/Arch packages, Homebrew, MuseScore's, the user's own folders), and
last the small one shipped with live-jazz (TimGM6mb: small but complete).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

SHIPPED = Path(str(resources.files("live_jazz.soundfonts") / "TimGM6mb.sf2"))
"""The soundfont that ships with live-jazz (GPL-2, licence beside it): ``soundfonts/`` of the
repository, carried as the package ``live_jazz.soundfonts``."""

PREFERRED_NAMES = ("FluidR3_GM.sf2", "default-GM.sf2", "GeneralUser GS v1.471.sf2",
                   "MuseScore_General.sf2", "FluidR3_GM.sf3", "MuseScore_General.sf3",
                   "TimGM6mb.sf2")
"""Known General MIDI soundfonts, best first, when a folder holds several."""

HOW_TO_GET = (
    "no soundfont found: pass --soundfont FILE.sf2, or install one "
    "(Debian/Ubuntu: apt-get install fluid-soundfont-gm; macOS: brew install fluid-synth "
    "and put a .sf2 in ~/Library/Audio/Sounds/Banks)"
)
"""The one line a user reads when there is none."""


class SoundFontError(OSError):
    """No usable soundfont (the message says how to get one)."""


def system_folders(environ: Mapping[str, str] | None = None,
                   platform: str = sys.platform) -> list[Path]:
    """The folders searched, in order, for this platform."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME", str(Path.home())))
    data_home = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") \
        else home / ".local" / "share"
    if platform == "darwin":
        return [home / "Library" / "Audio" / "Sounds" / "Banks",
                Path("/Library/Audio/Sounds/Banks"),
                Path("/opt/homebrew/share/soundfonts"), Path("/usr/local/share/soundfonts"),
                Path("/opt/homebrew/share/fluid-synth/sf2"),
                Path("/usr/local/share/fluid-synth/sf2")]
    if platform.startswith("win"):
        return [Path(root) / "soundfonts" for root in (env.get("APPDATA"),
                                                       env.get("ProgramData")) if root]
    return [data_home / "soundfonts", home / ".sounds" / "sf2",
            Path("/usr/share/sounds/sf2"), Path("/usr/share/soundfonts"),
            Path("/usr/local/share/soundfonts"), Path("/usr/share/sounds/sf3"),
            Path("/home/linuxbrew/.linuxbrew/share/soundfonts")]


def _best_in(folder: Path) -> Path | None:
    try:
        found = sorted(p for p in folder.iterdir()
                       if p.suffix.lower() in (".sf2", ".sf3") and p.is_file())
    except OSError:
        return None
    by_name = {p.name: p for p in found}
    for name in PREFERRED_NAMES:
        if name in by_name:
            return by_name[name]
    return found[0] if found else None


def find_soundfont(given: Path | None = None, environ: Mapping[str, str] | None = None,
                   folders: Sequence[Path] | None = None, shipped: Path | None = SHIPPED
                   ) -> Path:
    """The soundfont to load; raises SoundFontError (with how to get one) if there is none.
    A path the user gave must exist: it is never silently replaced by another."""
    env = os.environ if environ is None else environ
    if given is None and env.get("LIVE_JAZZ_SOUNDFONT"):
        given = Path(env["LIVE_JAZZ_SOUNDFONT"])
    if given is not None:
        if not given.is_file():
            raise SoundFontError(f"no soundfont {given}")
        return given
    for folder in system_folders(env) if folders is None else folders:
        best = _best_in(folder)
        if best is not None:
            return best
    if shipped is not None and shipped.is_file():
        return shipped
    raise SoundFontError(HOW_TO_GET)
