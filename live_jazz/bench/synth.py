"""``live-jazz bench synth``: the built-in voice, offline and live.

Offline: ``generate --preset blues-f --bars 12 --seed 1`` rendered to audio as ``--wav`` does.
Figures: seconds of audio per second of rendering (target: over 20x real time); the onsets an
onset detector finds against the MIDI note-ons (p50/p95, once with the default tenor sax and
piano, once with piano on both parts: the detector's reference); how far any message landed
from its exact sample; the end (voices still sounding, the last block's peak).

Live: the engine plays into the voice rendering to memory through the same callback an audio
device drives (CI has no sound card), a block every ``--buffer`` frames on the system clock.
Figures: from each note-on's scheduled time to the time its first sample is handed out (the
block's callback plus its offset in the block), p50/p99/max, against one buffer; messages that
came after their block (played late).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from live_jazz.bench import Benchmark, Figures
from live_jazz.bench.onsets import detect_onsets, onset_errors
from live_jazz.command import CliError, positive_float, positive_int

TARGETS = {"offline_speed_x": (">=", 20.0), "onset_p95_ms_piano": ("<=", 5.0)}
"""The issue's targets."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", type=positive_float, default=20.0, metavar="S",
                        help="seconds of live playing (default 20)")
    parser.add_argument("--buffer", type=positive_int, default=None, metavar="FRAMES",
                        help="frames an audio block (default: the voice's, 256)")
    parser.add_argument("--soundfont", type=Path, metavar="FILE.sf2",
                        help="the soundfont (default: as the voice finds it)")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help="weights folder (default: the shipped weights)")


def _measure(args: argparse.Namespace) -> Figures:
    from live_jazz.model.bundle import WeightsError, load_weights
    from live_jazz.synth.output import BUFFER_FRAMES

    try:
        weights = load_weights(args.weights)
    except WeightsError as error:
        raise CliError(str(error)) from None
    try:
        figures: Figures = {"load_average_1min": round(os.getloadavg()[0], 2)}
        figures.update(_offline(weights, args.soundfont))
        figures.update(_live(weights, args.soundfont, args.duration,
                             args.buffer or BUFFER_FRAMES))
    except OSError as error:
        raise CliError(str(error)) from None
    return figures


def _offline(weights: object, soundfont: Path | None) -> Figures:
    from live_jazz.music.midifile import Track, midi_bytes
    from live_jazz.music.render import COMP_CHANNEL, SOLO_CHANNEL, render
    from live_jazz.synth import offline
    from live_jazz.synth.soundfont import find_soundfont
    from live_jazz.synth.timeline import EventTimeline
    from live_jazz.synth.voice import PIANO, TENOR_SAX, open_voice
    from live_jazz.theory import preset

    progression = preset("blues-f")
    rendering = render(weights, progression, 12, np.random.default_rng(1))  # type: ignore[arg-type]
    font = find_soundfont(soundfont)
    figures: Figures = {"soundfont": font.name}
    for label, solo_program in (("", TENOR_SAX), ("_piano", PIANO)):
        tracks = [Track("improviser", SOLO_CHANNEL, rendering.solo, solo_program),
                  Track("chords", COMP_CHANNEL, rendering.chords, PIANO)]
        programs = {SOLO_CHANNEL: solo_program, COMP_CHANNEL: PIANO}
        events = offline.midi_events(midi_bytes(tracks, [(0.0, 120.0)], 4, 0.6))
        errors = np.concatenate([_onset_errors_ms(font, programs, events, channel)
                                 for channel in programs])
        figures[f"onset_p50_ms{label}"] = round(float(np.percentile(errors, 50)), 2)
        figures[f"onset_p95_ms{label}"] = round(float(np.percentile(errors, 95)), 2)
        if label:
            continue
        voice = open_voice(font, programs)
        timeline = EventTimeline(voice, keep_placed=True)
        started = time.perf_counter()
        audio = offline.render(voice, events, timeline)
        elapsed = time.perf_counter() - started
        sounding = voice.sounding
        voice.close()
        rate = voice.sample_rate
        placed = timeline.placed or []
        figures.update({
            "notes": len(errors),
            "offline_audio_s": round(len(audio) / rate, 2),
            "offline_render_s": round(elapsed, 4),
            "offline_speed_x": round(len(audio) / rate / elapsed, 1),
            "placement_max_samples": max(abs(p.sample - round(p.time * rate)) for p in placed),
            "last_message_s": round(max(t for t, _ in events), 3),
            "voices_sounding_at_end": sounding,
            "last_block_peak": int(np.abs(audio[-offline.BLOCK_FRAMES:]).max()),
        })
    return figures


def _onset_errors_ms(font: Path, programs: dict[int, int], events: list, channel: int
                     ) -> np.ndarray:
    """|detected - MIDI| (ms) of the onsets of one part rendered alone."""
    from live_jazz.synth import offline
    from live_jazz.synth.voice import open_voice

    part = [(t, m) for t, m in events if m.channel == channel]
    voice = open_voice(font, programs)
    try:
        audio = offline.render(voice, part)
    finally:
        voice.close()
    expected = sorted({t for t, m in part if m.type == "note_on" and m.velocity > 0})
    return np.abs(onset_errors(expected, detect_onsets(audio, voice.sample_rate))) * 1000


class _Deadlines:
    """A tap (``engine.taps``): the deadline (clock seconds) of every note-on sent, as the
    dispatcher computed it (the tempo is steady here)."""

    def __init__(self, deadline: Callable[[float], float]) -> None:
        self.deadline = deadline
        self.note_ons: list[float] = []

    def sent(self, item: Any) -> None:
        if item.message.type == "note_on" and item.message.velocity > 0:
            self.note_ons.append(self.deadline(item.at))

    def heard(self, heard: Any) -> None:
        pass

    def beat(self, now: float) -> None:
        pass

    def silenced(self, played: float) -> None:
        pass

    def close(self, played: float | None) -> None:
        pass


def _live(weights: object, soundfont: Path | None, duration: float, frames: int) -> Figures:
    from live_jazz.engine import commands as cmd
    from live_jazz.engine.clock import SystemClock
    from live_jazz.engine.config import EngineConfig
    from live_jazz.engine.engine import Engine
    from live_jazz.synth.port import SynthOptions, open_synth_port

    clock = SystemClock()
    config = EngineConfig(tempo=160.0, seed=0)
    options = SynthOptions(soundfont=soundfont, buffer_frames=frames)
    port = open_synth_port(options, options.programs(config.solo_channel, config.comp_channel),
                           clock.now, sleep_until=_sleep_until, keep_placed=True)
    engine = Engine(config, weights, port, clock=clock)  # type: ignore[arg-type]
    deadlines = _Deadlines(engine.beat.time_of_played)
    engine.taps.append(deadlines)
    scheduled = deadlines.note_ons
    engine.start()
    engine.submit(cmd.Play())
    threading.Event().wait(duration)
    engine.close()
    rate = port.path.timeline.voice.sample_rate
    blocks = port.path.blocks or []
    firsts = np.asarray([first for first, _ in blocks])
    played = [p.sample for p in port.path.timeline.placed or []
              if p.message.type == "note_on" and p.message.velocity > 0]
    latencies = []
    for due, sample in zip(scheduled, played, strict=False):
        index = int(np.searchsorted(firsts, sample, side="right")) - 1
        first, callback = blocks[index]
        latencies.append(callback + (sample - first) / rate - due)
    ms = np.asarray(latencies) * 1000
    return {
        "buffer_frames": frames,
        "buffer_ms": round(1000 * frames / rate, 2),
        "live_notes": len(latencies),
        "live_latency_p50_ms": round(float(np.percentile(ms, 50)), 2),
        "live_latency_p99_ms": round(float(np.percentile(ms, 99)), 2),
        "live_latency_max_ms": round(float(ms.max()), 2),
        "live_late_messages": port.path.timeline.late,
        "live_block_clock_resyncs": port.path.clock.resyncs,
    }


def _sleep_until(deadline: float) -> None:
    """A device thread's wait: sleep, no spinning."""
    remaining = deadline - time.perf_counter()
    if remaining > 0:
        time.sleep(remaining)


def _describe(figures: Figures) -> str:
    lines = [f"load average {figures['load_average_1min']} (2 cores: above 2, the figures "
             "measure the machine's other work too)",
             f"soundfont {figures['soundfont']}; offline: {figures['notes']} onsets, "
             f"{figures['offline_audio_s']} s of audio rendered in "
             f"{figures['offline_render_s']} s ({figures['offline_speed_x']}x real time)",
             f"  onsets found vs MIDI: p50 {figures['onset_p50_ms']} ms, p95 "
             f"{figures['onset_p95_ms']} ms (tenor sax + piano); piano on both: p50 "
             f"{figures['onset_p50_ms_piano']} ms, p95 {figures['onset_p95_ms_piano']} ms",
             f"  messages off their exact sample: at most {figures['placement_max_samples']}; "
             f"end: last message at {figures['last_message_s']} s, "
             f"{figures['voices_sounding_at_end']} voices sounding, last block peak "
             f"{figures['last_block_peak']}",
             f"live (memory, {figures['buffer_frames']} frames = {figures['buffer_ms']} ms a "
             f"block): {figures['live_notes']} note-ons, scheduled -> first sample p50 "
             f"{figures['live_latency_p50_ms']} ms, p99 {figures['live_latency_p99_ms']} ms, "
             f"max {figures['live_latency_max_ms']} ms; {figures['live_late_messages']} late"]
    for name, (sense, target) in TARGETS.items():
        value = figures[name]
        met = value >= target if sense == ">=" else value <= target
        lines.append(f"target {name} {sense} {target}: {value} ({'met' if met else 'NOT met'})")
    return "\n".join(lines)


BENCHMARK = Benchmark(
    name="synth",
    help="the built-in voice: offline rendering speed and onsets, live latency to the sample",
    configure=_configure,
    measure=_measure,
    describe=_describe,
)
