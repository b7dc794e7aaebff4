"""Sampling, decoding and comping ahead into the buffer.

``Generator`` keeps the buffer filled up to the horizon the engine gives it: the improviser's
line inside the ``Span`` the turn-taking gives it (solo: from a line on; trade and answer: an
answer's bars), the comping a bar at a time, and MIDI clock pulses when live-jazz is the clock
master.

Each note is performed on its way into the buffer (``music.performer``: its shift off the
swung grid and its velocity, the players' feel or exactly the grid); the improviser's notes are
kept inside their turn.

Before each improviser step it keeps a snapshot of the model, so that a live change
(temperature, reset, mode, chords) can take back the steps that have not sounded yet
(``rewind``) and sample them again; a step's snapshot goes once its note sounds (``sounded``).
All in the engine thread.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine.buffer import EventBuffer
from live_jazz.engine.call_response import Span
from live_jazz.engine.events import EngineEvent, ModelStepped
from live_jazz.engine.external_clock import ClockSender
from live_jazz.engine.settings import Settings
from live_jazz.music.comping import comp
from live_jazz.music.form import Form
from live_jazz.music.improviser import Improviser, ImproviserState
from live_jazz.music.performer import Performer

REWINDS_KEPT = 512
"""Snapshots kept at most (the steps of the look-ahead are far fewer; rests that never sound
would otherwise pile up)."""


class Generator:
    """Fills the buffer ahead. ``place(tick)`` is where a straight tick is played (swing);
    ``settings.config`` the engine's settings in force; ``now()`` the clock; ``emit`` tells the
    engine's subscribers of each sampled value; ``performer`` performs each note at the tempo in
    force (the improviser's, told before each fill) and the intensity in the settings."""

    def __init__(
        self,
        improviser: Improviser,
        buffer: EventBuffer,
        form: Form,
        place: Callable[[float], float],
        settings: Settings,
        now: Callable[[], float],
        emit: Callable[[EngineEvent], None],
        clock_sender: ClockSender | None = None,
        performer: Performer | None = None,
    ) -> None:
        self.improviser = improviser
        self.buffer = buffer
        self.form = form
        self.place = place
        self.settings = settings
        self.now = now
        self.emit = emit
        self.clock_sender = clock_sender
        self.performer = performer if performer is not None else Performer(None)
        """Places and shapes each note (the grid without a feel model)."""
        self.comp_until = 0
        """Session tick up to which the comping is in the buffer."""
        self.play_start = 0
        """Session tick where playing last started (no note is moved before it)."""
        self.song_origin = 0
        """Session tick of the song's top (the clock pulses count from there)."""
        self._rewinds: deque[ImproviserState] = deque(maxlen=REWINDS_KEPT)
        """The improviser before each of its steps that has not sounded yet."""

    def cut_comping(self, tick: int) -> None:
        """Take the comping out of the buffer from session tick ``tick`` on (new chords from
        there); it is comped again as the buffer fills."""
        self.buffer.cut("comping", tick, self.place(tick))
        self.comp_until = min(self.comp_until, tick)

    def start(self, origin: int, start: int) -> None:
        """Playing starts at session tick ``start``; the song's top is at ``origin``."""
        self.improviser.move_to(max(start, self.improviser.position))
        self.comp_until = start
        self.play_start = start
        self.song_origin = origin
        self._rewinds.clear()
        if self.clock_sender is not None:
            for beat, message in self.clock_sender.start((start - origin) / TICKS_PER_BEAT):
                at = origin + beat * TICKS_PER_BEAT
                self.buffer.push(at, at, message, "clock")

    def stop(self) -> None:
        """Playing stopped (the buffer is cleared by the engine)."""
        self._rewinds.clear()

    # -- filling --------------------------------------------------------------------------------

    def needs(self, horizon: float, span: Span | None) -> bool:
        """Whether something is to be generated before ``horizon`` (session ticks), the
        improviser playing in ``span``."""
        if self.settings.config.comping and self.comp_until < horizon:
            return True
        return span is not None and self.improviser.position < min(horizon, span.end)

    def fill(self, horizon: float, budget: float, span: Span | None) -> None:
        """Generate up to ``horizon``, the improviser in ``span``; its steps only while
        ``now()`` is before ``budget`` (clock seconds: the next deadline, less a margin)."""
        if self.settings.config.comping:
            self._comp(horizon)
        if self.clock_sender is not None:
            song_horizon = (horizon - self.song_origin) / TICKS_PER_BEAT
            for beat, message in self.clock_sender.ticks_until(song_horizon):
                at = self.song_origin + beat * TICKS_PER_BEAT
                self.buffer.push(at, at, message, "clock")
        if span is not None:
            self.play(span, horizon, budget)

    def _comp(self, horizon: float) -> None:
        config = self.settings.config
        self.performer.intensity = config.intensity
        while self.comp_until < horizon:
            start = self.comp_until
            end = self.form.next_bar_line(start + 1)  # a bar at a time, never across forms
            section = self.form.section_at(start)
            for note in comp(section.timeline, start - section.origin, end - section.origin,
                             section.progression.beats_per_bar):
                onset = note.onset + section.origin
                shift, velocity = self.performer.comp(note, self.improviser.tempo)
                self.buffer.push_note("comping", onset, onset + note.duration, self.place,
                                      config.comp_channel, note.pitch, velocity, shift=shift,
                                      within=(self.play_start, math.inf))
            self.comp_until = end

    def play(self, span: Span, horizon: float, budget: float = math.inf) -> None:
        """The improviser's steps up to ``horizon`` inside ``span``."""
        improviser = self.improviser
        config = self.settings.config
        self.performer.intensity = config.intensity
        limit = min(horizon, span.end)
        if improviser.position < span.start:
            improviser.move_to(span.start)  # the silence until then, heard as rests
        while improviser.position < limit:
            if self.now() >= budget:
                return
            self._rewinds.append(improviser.snapshot())
            step = improviser.step()
            self.emit(ModelStepped(step.entropy, step.top_probability, step.a_norm,
                                   step.c_norm, step.value.token))
            note = step.note
            if note is None or note.onset < span.start:
                continue
            end = min(note.onset + note.duration, span.end)
            shift, velocity = self.performer.solo(
                note, self.improviser.meter.bar_offset(note.onset), self.improviser.tempo)
            self.buffer.push_note("improviser", note.onset, end, self.place,
                                  config.solo_channel, note.pitch, velocity,
                                  base_velocity=note.velocity, shift=shift,
                                  within=(span.start, span.end))

    # -- taking steps back ----------------------------------------------------------------------

    def rewind(self, tick: int) -> None:
        """Take back the improviser's steps from the first one at or after ``tick``: restore
        the model to before it, cut its notes from there. Steps before ``tick`` stay."""
        target = next((r for r in self._rewinds if r.tick >= tick), None)
        if target is None:
            return
        self.improviser.restore(target)
        self.performer.reset()
        while self._rewinds and self._rewinds[-1].tick >= target.tick:
            self._rewinds.pop()
        self.buffer.cut("improviser", target.tick, self.place(target.tick))

    def sounded(self, tick: float) -> None:
        """The improviser's note written at ``tick`` sounds: its step and those before it can
        no longer be taken back."""
        while self._rewinds and self._rewinds[0].tick <= tick:
            self._rewinds.popleft()

    def heard(self, velocities: list[int] | None = None, answer_tick: int = 0) -> None:
        """The model has heard a call (its notes' ``velocities``; the answer from
        ``answer_tick``): what it sampled before cannot be taken back, and the answer starts
        at the call's level."""
        self._rewinds.clear()
        self.performer.reset()
        if velocities:
            self.performer.hear_call(velocities, answer_tick)
