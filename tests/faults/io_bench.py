"""Fault benchmarks of live-jazz's MIDI I/O against JACK servers of their own (issue 13):

    python tests/faults/io_bench.py xruns --runs 10 --seconds 20 [--baseline DIR]
    python tests/faults/io_bench.py clock --runs 20 --seconds 10 [--baseline DIR]

``xruns``: a real-time server (dummy driver, 48 kHz, 256 frames) with FluidSynth on it (when
installed), live-jazz playing into a virtual port joined to the synth; counts the xruns jackd
charges to live-jazz's clients and to the others. ``clock``: a server without real-time,
live-jazz following (``--sync external --send-clock``) a master that sends Start and MIDI clock
at ten times 120 BPM, with notes; counts crashes (segfaults), xruns and late events.

``--baseline DIR`` runs another tree of the code (e.g. ``git archive main``) in alternate runs,
so both are measured under the same load. Not a test: it needs jackd, takes minutes, and prints
figures. The machine's load is printed with them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from jack_child import spawn  # noqa: E402
from jack_clients import private_jack_server, unique, xruns_by_client  # noqa: E402

SOUNDFONT = Path("/usr/share/sounds/sf2/TimGM6mb.sf2")
WAIT_SECONDS = 15.0


@dataclass
class Run:
    """One run's figures."""

    code: str
    ours: int = 0
    others: int = 0
    crashed: bool = False
    late_lines: int = 0
    priority: str = ""
    notes: list[str] = field(default_factory=list)


def _env(server: str, code: Path | None) -> dict[str, str]:
    env = {**os.environ, "JACK_DEFAULT_SERVER": server, "JACK_NO_START_SERVER": "1",
           "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
    if code is not None:
        # Not the working folder first (``python -m`` puts it there, and a checkout's own tree
        # would shadow the baseline's; Python 3.11 and later).
        env["PYTHONPATH"] = str(code)
        env["PYTHONSAFEPATH"] = "1"
    return env


def _wait_port(server_env: dict[str, str], port: str) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        ports = subprocess.run(["jack_lsp"], env=server_env, capture_output=True, text=True)
        if port in ports.stdout.splitlines():
            return True
        time.sleep(0.1)
    return False


def _live_jazz(client: str, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "live_jazz.cli.main", "play", "--headless", "--quiet",
         "--midi-api", "jack", "--client-name", client, "--no-record", *extra],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def _finish(child: subprocess.Popen, run: Run, playing: float = 0.0) -> None:
    """Wait for its exit (``playing`` seconds more, if it still plays for that long)."""
    try:
        _, err = child.communicate(timeout=playing + WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        _, err = child.communicate()
        run.notes.append("hung: killed")
    run.crashed = child.returncode < 0 and child.returncode != -signal.SIGTERM \
        or "Segmentation fault" in err or "Fatal Python error" in err
    run.late_lines = err.count("late event")
    for line in err.splitlines():
        if "timing thread:" in line:
            run.priority = line.split("timing thread:", 1)[1].strip()
    if run.crashed:
        run.notes.append(f"exit {child.returncode}: " + " | ".join(err.splitlines()[-4:]))


def _count_xruns(log: Path, since: int, client: str, run: Run) -> None:
    for name, count in xruns_by_client(log, since).items():
        if name == client or name.startswith(f"{client} "):
            run.ours += count
            run.notes.append(f"{name}: {count}")
        else:
            run.others += count


def xrun_run(index: int, seconds: float, code: Path | None, label: str) -> Run:
    run = Run(label)
    name = unique(f"ljio-xrun{os.getpid()}")
    with private_jack_server(name, realtime=True, period=256) as log:
        env = _env(name, code)
        synth = None
        if shutil.which("fluidsynth") and SOUNDFONT.exists():
            synth = subprocess.Popen(
                ["fluidsynth", "-a", "jack", "-m", "jack", "-i", "-s", "-g", "0.5",
                 "-o", "audio.jack.autoconnect=1", str(SOUNDFONT)],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            _wait_port(env, "fluidsynth-midi:midi_00")
        since = log.stat().st_size
        client = f"ljb{index}"
        child = _live_jazz(client, env, "--tempo", "200", "--duration", str(seconds))
        if _wait_port(env, f"{client}:{client}") and synth is not None:
            subprocess.run(["jack_connect", f"{client}:{client}", "fluidsynth-midi:midi_00"],
                           env=env, capture_output=True)
        _finish(child, run, playing=seconds)
        time.sleep(0.2)
        _count_xruns(log, since, client, run)
        if synth is not None:
            synth.terminate()
            synth.wait()
    return run


def clock_run(index: int, seconds: float, code: Path | None, label: str) -> Run:
    run = Run(label)
    name = unique(f"ljio-clock{os.getpid()}")
    with private_jack_server(name, realtime=False, period=256) as log:
        env = _env(name, code)
        since = log.stat().st_size
        client = f"ljc{index}"
        child = _live_jazz(client, env, "--sync", "external", "--send-clock")
        target = f"{client} in:{client} in"
        # The master is a child: libjack keeps one server per process (see jack_child).
        master = spawn(env, "master", target, "1200", str(seconds))  # ten times 120 BPM
        try:
            master.wait(timeout=seconds + WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()
            run.notes.append("master hung")
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
        _finish(child, run)
        time.sleep(0.2)
        _count_xruns(log, since, client, run)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", choices=("xruns", "clock"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--baseline", type=Path, help="another tree of the code, run alternately")
    args = parser.parse_args()
    measure = xrun_run if args.case == "xruns" else clock_run
    codes: list[tuple[str, Path | None]] = [("this", None)]
    if args.baseline is not None:
        codes.append(("baseline", args.baseline))
    runs: list[Run] = []
    for index in range(args.runs):
        for label, code in codes:
            load = os.getloadavg()[0]
            run = measure(index, args.seconds, code, label)
            runs.append(run)
            print(f"{args.case} run {index + 1:2d} {label:8s} load {load:4.2f}: xruns ours "
                  f"{run.ours:5d} others {run.others:5d}  crashed {run.crashed!s:5s} late "
                  f"lines {run.late_lines:3d}  [{run.priority}] {'; '.join(run.notes)}",
                  flush=True)
    for label, _ in codes:
        mine = [r for r in runs if r.code == label]
        ours = sorted(r.ours for r in mine)
        print(f"{label}: {len(mine)} runs of {args.seconds:g} s; xruns charged to live-jazz: "
              f"total {sum(ours)}, median {ours[len(ours) // 2]}, runs with any "
              f"{sum(1 for x in ours if x)}; to other clients: total "
              f"{sum(r.others for r in mine)}; crashes {sum(r.crashed for r in mine)}; "
              f"late-event log lines {sum(r.late_lines for r in mine)}")
    print("counts:", dict(Counter(r.priority for r in runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
