"""What a subcommand is, for the built-in ones and for those other packages register."""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

SEED_LIMIT = 2**32
"""Seeds are 0 up to this, exclusive (numpy takes no negative seed; its legacy generator, which
training seeds too, takes 32 bits)."""


class CliError(Exception):
    """A clear one-line error for the user; the CLI prints it and exits with code 2."""


@dataclass(frozen=True)
class Command:
    """One ``live-jazz`` subcommand."""

    name: str
    """What the user types."""
    help: str
    """One line for ``live-jazz --help``."""
    configure: Callable[[argparse.ArgumentParser], None]
    """Adds the subcommand's options."""
    run: Callable[[argparse.Namespace], int]
    """Does the work; returns the exit code (raise CliError for a user error)."""


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def swing_arg(text: str) -> float | str:
    """argparse type: ``auto`` or a swing ratio (a number; the range is checked by the
    config)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not auto or a ratio: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number: {value:g}")
    return value


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number: {value:g}")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0: {value:g}")
    return value


def random_seed(text: str) -> int:
    """argparse type: a random seed, a whole number >= 0."""
    value = _whole_number(text)
    if not 0 <= value < SEED_LIMIT:
        raise argparse.ArgumentTypeError(f"a seed is 0-{SEED_LIMIT - 1}, got {value}")
    return value


def tell(text: str, stream: TextIO | None = None) -> None:
    """Print a line for the user (default stdout). A terminal that is gone (its window closed:
    EIO; a closed pipe) is not an error: nobody is left to read it, and the exit code still
    says how it ended."""
    stream = sys.stdout if stream is None else stream
    try:
        print(text, file=stream, flush=True)
    except (OSError, ValueError):
        _mute(stream)


def _mute(stream: TextIO) -> None:
    """Send what is still buffered for ``stream``, and what comes after, to the null device,
    so that Python's final flush does not fail on it (exit code 120) either."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up chatter (call before it is imported). oneDNN's custom ops
    announce themselves through absl before any log level applies; this model is too small to
    gain from them."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def install_hint(extra: str) -> str:
    """How to add an optional extra, for an install from PyPI or a wheel and from a checkout."""
    return f"pip install 'live-jazz[{extra}]', or in a checkout pip install -e '.[{extra}]'"


def require(module: str, package: str, what: str, extra: str) -> None:
    """Raise a one-line ``CliError`` when the optional ``module`` (from ``package``, in the extra
    ``extra``) is not installed: ``what`` needs it. Looks without importing it."""
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise CliError(f"{what} needs {package}: {install_hint(extra)}")
