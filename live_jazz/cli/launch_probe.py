"""The TUI's launch probe, for ``live-jazz bench timing --tui``.

``python -m live_jazz.cli.launch_probe LAUNCHED [tui options]`` builds the App as ``live-jazz tui``
does, runs it headless (``live_jazz.tui.headless``) and prints its figures as JSON, with the
launch counted from ``LAUNCHED`` (the parent's ``time.perf_counter()`` before it started the
process: the clock is system-wide, so the interpreter's start and every import are counted).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict

from live_jazz.cli import tui
from live_jazz.tui.headless import run_headless


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m live_jazz.cli.launch_probe")
    parser.add_argument("launched", type=float, help="the parent's time.perf_counter()")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of playing")
    tui.configure(parser)
    args = parser.parse_args(argv)
    app = tui.build_app(args)
    try:
        figures = run_headless(app, args.seconds, args.launched)
    finally:
        app.shutdown(wait=True)
    print(json.dumps(asdict(figures)))


if __name__ == "__main__":
    main(sys.argv[1:])
