"""What a subcommand is, for the built-in ones and for those other packages register."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


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


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def positive_float(text: str) -> float:
    """argparse type: a number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0: {value:g}")
    return value


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up chatter (call before it is imported). oneDNN's custom ops
    announce themselves through absl before any log level applies; this model is too small to
    gain from them."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
