"""``live-jazz bench timing``: how close to their deadlines the engine's messages leave, through a
real MIDI port, while another thread keeps a core busy in Python.

The engine runs as the instrument does (``Engine`` on the system clock, the shipped weights), in
trade mode at 240 BPM, straight, sending MIDI clock too: 24 pulses a beat (every sixteenth
among them: 96 messages a second), the improviser's answers and the comping, into a JACK port
that a listening client reads. A playing client sends a line of sixteenths into the engine's
input all along, so each of the human's turns is a call the next answer is primed with. A third
thread spins in pure Python the whole time (the GIL's worst case).

Figures: the dispatch error (send time minus scheduled time) of every message, p50/p99/max;
late and dropped events; the drift (the error of the last message: times are absolute, so
nothing accumulates); how many messages the listening client received; for each answer, when
it was ready before its bar line and the offset of its first note from its scheduled time;
improviser notes that went on sounding past the end of their turn (by the listening client,
from JACK's time stamps); and, apart, the time to prime the model with a
four-bar call, plan its answer and sample it (p50/max over repeats), beside the same without
the plan (p50, in turn with it).

Without a running JACK server it starts ``jackd -d dummy`` for the run (Debian: jackd2).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import rtmidi

from live_jazz.bench import Benchmark, Figures
from live_jazz.bench.audio_load import describe_with_audio, hear_recording, looped_recording
from live_jazz.command import CliError, positive_float
from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.engine import commands as cmd
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.engine import SWITCH_INTERVAL, Engine
from live_jazz.model.bundle import Weights, WeightsError, load_weights
from live_jazz.music.answer_styles import AnswerPlanner
from live_jazz.music.improviser import Improviser
from live_jazz.music.performer import FEELS
from live_jazz.theory import preset

if TYPE_CHECKING:
    from live_jazz.tui.headless import UiFigures

TARGETS = {"p99_ms": 0.5, "max_ms": 2.0, "drift_ms": 1.0, "answer_offset_max_ms": 2.0,
           "prime_sample_max_ms": 20.0}
"""The issue's targets (at most)."""
TUI_TARGETS = {"ui_frames_per_second": (">=", 20.0), "tui_launch_to_interactive_s": ("<=", 1.5)}
"""The TUI's targets (issue 5), with ``--tui``."""
JACKD = ["jackd", "-d", "dummy", "-r", "48000", "-p", "32"]
"""The JACK server started when none runs."""
PRIME_REPEATS = 50
"""Four-bar answers primed and sampled for the prime+sample figure."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", type=positive_float, default=60.0, metavar="S",
                        help="seconds of playing (default 60)")
    parser.add_argument("--tempo", type=float, default=240.0, metavar="BPM",
                        help="tempo (default 240)")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help="weights folder (default: the shipped weights)")
    parser.add_argument("--feel", choices=FEELS, default="players",
                        help="players (the default: notes moved off the grid, early ones "
                             "sent early) or grid; compare the two in one sitting")
    parser.add_argument("--no-busy", action="store_true",
                        help="without the thread that keeps a core busy")
    parser.add_argument("--audio-in", type=Path, metavar="FILE.wav",
                        help="run again with the microphone tracker hearing this recording "
                             "(looped, through the live path) all along; both runs' figures")
    parser.add_argument("--tui", action="store_true",
                        help="with the TUI running headless and redrawing all along; adds its "
                             "frames per second and, from a fresh process, its launch time")


def measure(args: argparse.Namespace) -> Figures:
    try:
        weights = load_weights(args.weights)
        config = EngineConfig(tempo=args.tempo, swing=0.5, swing_auto=False, mode="trade",
                              seed=0, feel=args.feel)
    except (WeightsError, ValueError) as error:
        raise CliError(str(error)) from None
    server = _ensure_jack()
    try:
        figures = _tui_launch(args) if args.tui else {}
        figures.update(_run_engine(weights, config, args.duration, busy=not args.no_busy,
                                   tui=args.tui))
        if args.audio_in is not None:
            figures["with_audio_in"] = _run_engine(
                weights, config, args.duration, busy=not args.no_busy, tui=args.tui,
                audio=looped_recording(args.audio_in, args.duration))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    figures.update(_prime_and_sample(weights, config))
    figures["feel"] = args.feel if weights.feel is not None else "grid (no feel model)"
    return figures


def _ensure_jack() -> subprocess.Popen | None:
    """A JACK server for the run: None if one runs already, else the one started here."""
    from live_jazz.midi_io.backends import jack_server_running

    if jack_server_running():
        return None
    if shutil.which(JACKD[0]) is None:
        raise CliError("no JACK server running and jackd is not installed: install jackd2 "
                       "or start a JACK server")
    server = subprocess.Popen(JACKD, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not jack_server_running():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise CliError(f"cannot start a JACK server (`{' '.join(JACKD)}`)")
        time.sleep(0.1)
    return server


class _Ear:
    """The listening client: counts what arrives (the messages really went through).

    rtmidi keeps what arrives in its own queue, counted at the end: no Python runs in JACK's
    cycle (a callback there waits for the GIL and garbles what it reads) and no thread of ours
    wakes to read it, which would take the GIL from the engine being measured."""

    QUEUE = 1 << 17
    """rtmidi's queue, ample for the longest run (about 125 messages a second)."""

    def __init__(self, source: str, channel: int) -> None:
        self.received = 0
        self.channel = channel
        """The improviser's channel, whose notes are followed."""
        self.notes: list[tuple[float, float | None]] = []
        """(seconds from MIDI Start to its note-on, to its note-off or None) of every
        improviser note, from JACK's time stamps."""
        self.stopped = 0.0
        """Seconds from MIDI Start to the last message."""
        self.rt = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, f"live-jazz-bench-ear-{os.getpid()}",
                                queue_size_limit=self.QUEUE)
        self.rt.ignore_types(sysex=True, timing=False, active_sense=True)
        self.rt.open_port(self.rt.get_ports().index(source), "in")

    def close(self) -> None:
        now, start = 0.0, None
        sounding: dict[int, float] = {}
        while (item := self.rt.get_message()) is not None:
            self.received += 1
            (status, *data), delta = item
            now += delta
            if status == 0xFA:
                start = now
            elif start is not None and status & 0x0F == self.channel \
                    and status & 0xF0 in (0x80, 0x90):
                if status & 0xF0 == 0x90 and data[1] > 0:
                    sounding[data[0]] = now - start
                elif data[0] in sounding:
                    self.notes.append((sounding.pop(data[0]), now - start))
        self.notes += [(on, None) for on in sounding.values()]
        self.stopped = now - (start or 0.0)
        self.rt.close_port()
        self.rt.delete()


def _run_engine(weights: Weights, config: EngineConfig, duration: float, busy: bool,
                tui: bool = False, audio: tuple[np.ndarray, int] | None = None) -> Figures:
    from live_jazz.engine.clock import SystemClock
    from live_jazz.midi_io.ports import InputQueue
    from live_jazz.midi_io.rtmidi_ports import input_port_name, open_input, open_output

    # Names of this run's own: JACK renames a client whose name is taken, and a second
    # benchmark running meanwhile must be neither found nor measured in this one's place.
    client = f"live-jazz-bench-{os.getpid()}"
    clock = SystemClock()
    output = open_output("jack", None, client)
    queue = InputQueue(clock.now)
    input_port = open_input("jack", None, queue, client)
    listener = hear_recording(audio, queue, clock.now) if audio is not None else None
    inputs = [input_port] if listener is None else [listener, input_port]
    engine = Engine(config, weights, output, clock=clock, input_queue=queue, keep_errors=True,
                    send_clock=True, on_close=lambda: [item.close() for item in inputs])
    ear = _Ear(f"{client}:{client}", config.solo_channel)
    hand = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, f"{client}-hand")
    inbox = input_port_name(client)
    hand.open_port(hand.get_ports().index(f"{inbox}:{inbox}"), "out")
    stop = threading.Event()
    threads = [threading.Thread(target=_play_sixteenths, args=(hand, config.tempo, stop))]
    if busy:
        threads.append(threading.Thread(target=_keep_busy, args=(stop,)))
    ui: Figures = {}
    try:
        engine.start()
        if not tui:  # the TUI presses play once it is up, as a player would
            engine.submit(cmd.Play())
        for thread in threads:
            thread.start()
        if tui:
            ui = _tui_while_playing(engine, config, duration)
        else:
            stop.wait(duration)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        engine.close()
        hand.close_port()
        hand.delete()
        ear.close()
    turn = config.trade_bars * config.progression.beats_per_bar * 60.0 / config.tempo
    heard = {"audio_notes_heard": listener.notes} if listener is not None else {}
    return {**_figures(engine, ear.received, config.tempo), **ui, **heard,
            "hanging_notes": _hanging(ear.notes, turn, ear.stopped)}



HANGING_SLACK = 0.03
"""Seconds after its turn's end a note-off may arrive (a late one: counted as late events)."""


def _hanging(notes: list[tuple[float, float | None]], turn: float, stopped: float) -> int:
    """Improviser notes still sounding after the end of their turn (``turn`` seconds from MIDI
    Start: trading starts there, the human first): ended more than ``HANGING_SLACK`` after it,
    or never though the turn is over (``stopped``: when the run ended)."""
    hanging = 0
    for on, off in notes:
        end = ((on + HANGING_SLACK) // turn + 1) * turn  # a hair early: still its turn
        hanging += (off if off is not None else stopped) > end + HANGING_SLACK
    return hanging


def _tui_while_playing(engine: object, config: EngineConfig, duration: float) -> Figures:
    """The TUI headless on the engine: it presses play, redraws for `duration`, and quits with
    `q`, which closes the engine."""
    from live_jazz.tui.app import LiveJazzApp
    from live_jazz.tui.headless import run_headless

    app = LiveJazzApp(config, lambda: engine, settings_file=None)  # type: ignore[arg-type,return-value]
    figures = run_headless(app, duration, time.perf_counter())
    return {"ui_frames_per_second": round(figures.frames_per_second, 1)}


def _launch_figures(seconds: float, tui_args: Sequence[str]) -> UiFigures:
    """Run the launch probe in a fresh process (``live-jazz tui`` with `tui_args`)."""
    from live_jazz.tui.headless import UiFigures

    launched = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "live_jazz.cli.launch_probe", repr(launched), "--seconds",
         str(seconds), *tui_args],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        lines = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()
        raise RuntimeError(f"the TUI launch probe failed: {lines[-1]}")
    return UiFigures(**json.loads(result.stdout.strip().splitlines()[-1]))


def _tui_launch(args: argparse.Namespace) -> Figures:
    """Launch to an interactive screen, ``live-jazz tui`` in a fresh process (shipped weights, a
    JACK port, no recording)."""
    tui_args = ["--midi-api", "jack", "--no-record", "--client-name",
                f"live-jazz-bench-tui-{os.getpid()}"]
    if args.weights is not None:
        tui_args += ["--weights", str(args.weights)]
    try:
        figures = _launch_figures(2.0, tui_args)
    except RuntimeError as error:
        raise CliError(str(error)) from None
    return {"tui_launch_to_interactive_s": round(figures.launch_to_interactive_s, 3),
            "tui_launch_to_ready_s": round(figures.launch_to_ready_s, 3)}


def _play_sixteenths(hand: rtmidi.MidiOut, bpm: float, stop: threading.Event) -> None:
    """A player sending sixteenths up and down a scale, at absolute times."""
    step = 60.0 / bpm / 4
    start = time.perf_counter() + 0.2
    scale = [60, 62, 64, 65, 67, 69, 70, 72, 70, 69, 67, 65, 64, 62]
    n = 0
    while not stop.is_set():
        at = start + n * step
        if stop.wait(max(0.0, at - time.perf_counter())):
            return
        pitch = scale[n % len(scale)]
        hand.send_message([0x90, pitch, 80])
        if stop.wait(step / 2):
            hand.send_message([0x80, pitch, 0])
            return
        hand.send_message([0x80, pitch, 0])
        n += 1


def _keep_busy(stop: threading.Event) -> None:
    """Pure Python work that holds the GIL whenever it can."""
    total = 0
    while not stop.is_set():
        for i in range(10000):
            total += i * i


def _figures(engine: Engine, received: int, bpm: float) -> Figures:
    stats = engine.dispatcher.stats
    errors = np.asarray(stats.errors, dtype=np.float64) * 1000.0
    if errors.size == 0:
        raise CliError("the engine sent nothing")
    p50, p99 = np.percentile(errors, [50, 99])
    figures: Figures = {
        "tempo_bpm": bpm,
        "messages": int(errors.size),
        "p50_ms": round(float(p50), 4),
        "p99_ms": round(float(p99), 4),
        "max_ms": round(float(errors.max()), 4),
        "late_events": int(stats.late),
        "dropped_events": int(stats.dropped),
        "last_error_ms": round(float(errors[-1]), 4),
        "switch_interval_ms": round(SWITCH_INTERVAL * 1000, 3),
    }
    figures["drift_ms"] = figures["last_error_ms"]
    figures["received"] = received
    figures.update(_answer_figures(engine))
    return figures


def _answer_figures(engine: Engine) -> Figures:
    """Per answer: how long before its bar line it was ready, and the first note's offset."""
    transport = engine.beat
    ready, offsets, on_bar = [], [], 0
    first_notes = engine.turns.first_answer_notes
    for answer, _began, sampled in engine.turns.answers:
        ready.append((transport.time_of(answer.start) - sampled) * 1000.0)
        if answer.start in first_notes:
            at, sent_at = first_notes[answer.start]
            offsets.append((sent_at - transport.time_of_beat(at / TICKS_PER_BEAT)) * 1000.0)
            on_bar += at == answer.start
    figures: Figures = {"answers": len(engine.turns.answers)}
    if ready:
        figures["answer_ready_before_bar_min_ms"] = round(min(ready), 3)
    if offsets:
        figures["answer_offset_max_ms"] = round(max(abs(o) for o in offsets), 4)
        figures["answer_offsets_ms"] = [round(o, 4) for o in offsets]
        figures["answers_starting_on_the_bar_line"] = on_bar
    return figures


def _prime_and_sample(weights: Weights, config: EngineConfig) -> Figures:
    """Hear a four-bar call of sixteenths, plan its answer (``auto``) and sample it, four bars:
    p50 and max; beside it, in turn, the same without the plan (the primed model alone)."""
    timeline = preset("blues-f").timeline(TICKS_PER_BEAT)
    bar = 4 * TICKS_PER_BEAT
    call = [Note(t, 3, 60 + (t // 3) % 12, 80) for t in range(0, 4 * bar, 3)]
    rng = np.random.default_rng(0)
    improviser = Improviser(weights, timeline, rng, temperature=config.temperature)
    planner = AnswerPlanner(weights.vocabulary, rng)
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(PRIME_REPEATS):
        for planned in (True, False):
            improviser.reset(0)
            improviser.bias = None
            began = time.perf_counter()
            improviser.listen(call, 0)
            improviser.move_to(4 * bar)
            if planned:
                improviser.bias = planner.plan(call, "auto", 4 * bar, 8 * bar, bar)
            improviser.until(8 * bar)
            times[planned].append((time.perf_counter() - began) * 1000.0)
    return {"prime_sample_p50_ms": round(float(np.median(times[True])), 3),
            "prime_sample_max_ms": round(max(times[True]), 3),
            "prime_sample_unplanned_p50_ms": round(float(np.median(times[False])), 3)}


def describe(figures: Figures) -> str:
    lines = [f"{figures['messages']} messages at {figures['tempo_bpm']:g} BPM "
             f"(clock pulses 24 a beat, improviser, comping) through JACK "
             f"({figures['received']} received), switch interval "
             f"{figures['switch_interval_ms']} ms, feel {figures.get('feel', 'grid')}"]
    for name in ("p50_ms", "p99_ms", "max_ms", "drift_ms",
                 "answer_offset_max_ms", "answer_ready_before_bar_min_ms",
                 "prime_sample_p50_ms", "prime_sample_max_ms", "prime_sample_unplanned_p50_ms"):
        if name in figures:
            target = TARGETS.get(name)
            note = f"  (target <= {target:g})" if target is not None else ""
            lines.append(f"  {name:32s} {figures[name]:10.4f}{note}")
    for name, (sense, target) in TUI_TARGETS.items():
        if name in figures:
            lines.append(f"  {name:32s} {figures[name]:10.4f}  (target {sense} {target:g})")
    if "tui_launch_to_ready_s" in figures:
        lines.append(f"  {'tui_launch_to_ready_s':32s} {figures['tui_launch_to_ready_s']:10.4f}")
    lines.append(f"  late events {figures['late_events']}, dropped {figures['dropped_events']}, "
                 f"answers {figures['answers']}"
                 + (f" ({figures.get('answers_starting_on_the_bar_line', 0)} beginning on the "
                    "bar line)" if "answer_offsets_ms" in figures else "")
                 + f", improviser notes hanging past their turn {figures['hanging_notes']}")
    return "\n".join(lines + describe_with_audio(figures))


BENCHMARK = Benchmark("timing", "dispatch error, drift and trade answers through a real port "
                      "(JACK) with a busy thread", _configure, measure, describe)
