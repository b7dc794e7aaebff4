"""``live-jazz``: argument parsing and wiring."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, entry_points, version
from typing import NoReturn

from live_jazz.command import CliError, Command, tell

PLUGIN_GROUP = "live_jazz.commands"
DEFAULT_COMMAND = "tui"


def builtin_commands() -> list[Command]:
    """Subcommands that live in ``live_jazz`` itself."""
    from live_jazz.cli import bench, generate, ports, transcribe

    commands = []
    commands.append(ports.COMMAND)
    commands.append(generate.COMMAND)
    commands.append(bench.COMMAND)
    commands.append(transcribe.COMMAND)
    from live_jazz.cli import play

    commands.append(play.COMMAND)
    from live_jazz.cli import tui

    commands.append(tui.COMMAND)
    return commands


def plugin_commands() -> list[Command]:
    """Subcommands registered by other installed packages (``training`` registers train and
    eval this way, so that ``live_jazz`` never imports ``training``)."""
    commands = []
    for entry in entry_points(group=PLUGIN_GROUP):
        try:
            commands.append(entry.load())
        except ImportError as error:
            logging.getLogger(__name__).warning("command %s unavailable: %s", entry.name, error)
    return commands


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line, pointing to ``--help`` (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    """The top-level parser with one subparser per command (the same class: one-line
    errors everywhere)."""
    parser = Parser(
        prog="live-jazz", description="A real-time MIDI instrument that improvises jazz."
    )
    parser.add_argument("--version", action="version", version=f"live-jazz {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in sorted(commands, key=lambda c: c.name):
        command.configure(sub.add_parser(command.name, help=command.help,
                                         description=command.help))
    return parser


def _version() -> str:
    """The installed distribution's version (a checkout that was never installed: unknown)."""
    try:
        return version("live-jazz")
    except PackageNotFoundError:
        return "(not installed)"


def with_default_command(argv: Sequence[str]) -> list[str]:
    """``live-jazz`` alone, or with options but no command, is ``live-jazz tui`` with them:
    the instrument itself (``--help`` and ``--version`` still ask for themselves)."""
    argv = list(argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return [DEFAULT_COMMAND, *argv]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``live-jazz`` console script."""
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.INFO)
    commands = {c.name: c for c in [*builtin_commands(), *plugin_commands()]}
    parser = build_parser(list(commands.values()))
    args = parser.parse_args(with_default_command(sys.argv[1:] if argv is None else argv))
    try:
        return commands[args.command].run(args)
    except CliError as error:
        tell(f"live-jazz: error: {error}", sys.stderr)
        return 2
    except KeyboardInterrupt:
        tell("live-jazz: interrupted", sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
