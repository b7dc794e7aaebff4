"""Writing the user's files: whole or not at all (a temporary beside it, then a rename), with
the mode any file the user makes gets (0666 less the umask), and the leftovers of a killed
process cleared away. The recording, ``generate``'s MIDI and its ``--wav`` all go through here."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_TEMPORARY = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.tmp$")
"""``.NAME.PID-RANDOM.tmp``: the temporaries ``write_atomically`` makes."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: a temporary file beside it, synced, then renamed over it, so
    that a reader (or a crash) sees the old file or the new one, never half of one."""
    handle, temporary = temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def temporary_beside(path: Path) -> tuple[int, Path]:
    """A new file ``.NAME.PID-RANDOM.tmp`` beside ``path``, open for writing. Created with
    mode 0666 less the umask, as any file the user makes (``tempfile.mkstemp`` makes it 0600,
    and the rename would keep that); the process id lets a later start tell a leftover."""
    for _ in range(100):
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def remove_leftover_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files ``write_atomically`` left in ``folder`` when its process was
    killed mid-write (``kill -9``); those of a process still running are kept. Returns what was
    removed. (Only where a process can be asked whether it runs: POSIX.)"""
    removed: list[Path] = []
    if os.name != "posix":
        return removed
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or int(match.group(1)) == os.getpid() or _running(int(match.group(1))):
            continue
        try:
            entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or not a pid we can ask about): leave it
    return True
