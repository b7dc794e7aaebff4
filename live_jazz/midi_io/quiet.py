"""C libraries' complaints on file descriptor 2 (libasound, libjack), caught and logged at debug
level, so that the user reads one clear line of ours instead."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Iterator

log = logging.getLogger(__name__)


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Catch what C libraries write to file descriptor 2 meanwhile and log it at debug level.
    Process-wide: use only around opening clients, never on the timing path. The log's
    handlers are held meanwhile, so a line another thread logs waits for fd 2 to be back
    rather than falling into the sink (it lost "playing at" lines under JACK)."""
    handlers = logging.getLogger().handlers
    for handler in handlers:
        handler.acquire()
    try:
        sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no fd 2 (embedded interpreters): nothing to hide
            yield
            return
        with tempfile.TemporaryFile() as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                sink.seek(0)
                caught = sink.read().decode(errors="replace").splitlines()
    finally:
        for handler in reversed(handlers):
            handler.release()
    for line in caught:
        log.debug("midi backend: %s", line)
