"""Turn-taking in the engine: the mode's policy and the improviser's span, which only it sets.

Solo: the improviser plays from a line on, without end. Trade (``TradeTurns``) and answer
(``CallDetector``): the human calls, and a little before the answer's bar line -- between
``PREPARE_SECONDS`` and ``PREPARE_LATEST`` ahead, at a moment when no message is due for
``PRIME_GAP`` -- the call is closed, the improviser hears it (primed) and its answer is sampled,
so that the answer's first note is on time.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine.beat import BeatSource
from live_jazz.engine.buffer import Scheduled
from live_jazz.engine.call_response import Answer, CallDetector, Span, TradeTurns
from live_jazz.engine.config import Mode
from live_jazz.engine.events import EngineEvent, LogLine, Turn
from live_jazz.engine.generator import Generator
from live_jazz.engine.hearing import Heard, Hearing
from live_jazz.engine.settings import Settings
from live_jazz.music.answer_styles import AnswerPlanner

PREPARE_SECONDS = 0.03
"""From this long before an answer's bar line the call may be closed and the answer primed and
sampled ..."""
PREPARE_LATEST = 0.008
"""... and it is done by this long before the bar line at the latest."""
PRIME_GAP = 0.006
"""Priming waits (until PREPARE_LATEST) for a moment when no message is due this soon."""
BEAT = TICKS_PER_BEAT


class Turns:
    """Who plays when. ``now()`` is the clock; ``next_deadline()`` the dispatcher's next send
    (clock seconds, or None); ``planner`` turns each call into the pull of its answer, in the
    answer style in force (``settings``); ``emit`` tells which plan was taken."""

    def __init__(self, generator: Generator, hearing: Hearing, beat: BeatSource,
                 now: Callable[[], float], next_deadline: Callable[[], float | None],
                 planner: AnswerPlanner, settings: Settings,
                 emit: Callable[[EngineEvent], None]) -> None:
        self.generator = generator
        self.improviser = generator.improviser
        self.hearing = hearing
        self.beat = beat
        self.now = now
        self.next_deadline = next_deadline
        self.planner = planner
        self.settings = settings
        self.emit = emit
        self.policy: TradeTurns | CallDetector | None = None
        """None in solo mode."""
        self.span: Span | None = None
        """Where the improviser plays now (None: it is silent)."""
        self.answers: list[tuple[Answer, float, float]] = []
        """(answer, clock time the priming began, clock time its start was sampled)."""
        self.first_answer_notes: dict[int, tuple[float, float]] = {}
        """Answer's bar line -> (played tick, clock time sent) of its first note."""

    def start(self, mode: Mode, tick: int, trade_bars: int, silence_beats: float) -> None:
        """Play ``mode`` from ``tick`` on (a bar line, but in solo mode)."""
        generator = self.generator
        bar = generator.form.bar_ticks
        if mode == "solo":
            self.policy = None
            span = self.span
            if span is None or span.end <= tick:
                generator.rewind(tick)
                self.span = Span(tick, math.inf)
            else:
                self.span = Span(span.start, math.inf, span.answer)
            return
        self._end_span(tick)
        if mode == "trade":
            self.policy = TradeTurns(tick, trade_bars, bar)
        else:
            self.policy = CallDetector(silence_beats * BEAT, bar, tick)

    def _end_span(self, tick: int) -> None:
        """The improviser stops at ``tick``: later steps are taken back, a note begun before
        and still sounding there ends there."""
        span = self.span
        if span is not None and span.end > tick:
            self.generator.rewind(tick)
            self.span = Span(span.start, tick, span.answer)
            self.generator.buffer.cut("improviser", tick, self.beat.swung(tick))

    def stop(self) -> None:
        """Playing stopped: the improviser is silent until a mode starts again."""
        self.span = None

    def turn_at(self, tick: float) -> Turn:
        """Who plays at session tick ``tick``."""
        if self.policy is None:
            return "solo"
        span = self.span
        if span is not None and span.answer is not None and span.start <= tick < span.end:
            return "answering"
        return self.policy.turn_at(tick)

    def beats_left(self, tick: float) -> float | None:
        """Beats until the turn changes (None in solo mode, or while no call is heard)."""
        policy = self.policy
        if policy is None:
            return None
        span = self.span
        if span is not None and span.start <= tick < span.end:
            return (span.end - tick) / BEAT
        if isinstance(policy, TradeTurns):
            return (policy.next_change(tick) - tick) / BEAT
        end = policy.silence_end()
        return None if end is None else max(0.0, (end - tick) / BEAT)

    # -- what was heard and sent ----------------------------------------------------------------

    def heard(self, heard: Heard) -> None:
        """A key while playing: in answer mode, a call goes on."""
        if not isinstance(self.policy, CallDetector):
            return
        if heard.message.type == "note_on":
            self.policy.press(heard.tick)
        elif heard.note is not None:
            self.policy.release(heard.tick)

    def sounded(self, item: Scheduled) -> None:
        """The improviser's note-on ``item`` went out: the first of an answer is noted."""
        span = self.span
        if span is not None and span.answer is not None \
                and span.start not in self.first_answer_notes:
            self.first_answer_notes[span.start] = (item.at, self.now())

    # -- deciding -------------------------------------------------------------------------------

    def _decision_time(self) -> float:
        """Clock time of the next turn decision (answer's bar line, or end of a call's
        silence), or inf."""
        policy = self.policy
        if isinstance(policy, TradeTurns):
            boundary = self._next_answer_boundary()
            return self.beat.time_of(boundary) if boundary is not None else math.inf
        if isinstance(policy, CallDetector):
            end = policy.silence_end()
            if end is not None and not self.hearing.keys.sounding:
                return self.beat.time_of(end)
        return math.inf

    def _next_answer_boundary(self) -> int | None:
        policy = self.policy
        assert isinstance(policy, TradeTurns)
        now = self.beat.straight_tick_at(self.now())
        boundary = policy.next_change(now)
        if policy.turn_at(boundary) != "answering":
            boundary = policy.next_change(boundary)
        span = self.span
        if span is not None and span.start >= boundary:
            return None  # already prepared
        return boundary

    def wake(self, now: float) -> float:
        """When the loop must look at the turns next."""
        decision = self._decision_time()
        if now < decision - PREPARE_SECONDS:
            return decision - PREPARE_SECONDS
        return decision - PREPARE_LATEST  # waiting for a gap between sends, at the latest

    def take(self) -> None:
        """Close a call and prime its answer, between PREPARE_SECONDS and PREPARE_LATEST
        before its bar line, at a moment when no message is due for PRIME_GAP."""
        if self.policy is None:
            return
        now = self.now()
        decision = self._decision_time()
        if now < decision - PREPARE_SECONDS:
            return
        deadline = self.next_deadline()
        if now < decision - PREPARE_LATEST and deadline is not None \
                and deadline - now < PRIME_GAP:
            return  # after the next send
        # A thousandth of a tick of slack: the decision time was computed from the same tick.
        soon = self.beat.straight_tick_at(now + PREPARE_SECONDS) + 1e-3
        policy = self.policy
        answer: Answer | None = None
        if isinstance(policy, TradeTurns):
            boundary = self._next_answer_boundary()
            if boundary is not None and soon >= boundary:
                answer = policy.answer_at(boundary)
        else:
            answer = policy.poll(soon, self.hearing.keys.sounding)
        if answer is not None:
            self._answer(answer)

    def _answer(self, answer: Answer) -> None:
        """Hear the call, then play from the answer's bar line."""
        began = self.now()
        notes = self.hearing.call(answer.call_start, answer.call_end)
        self.improviser.listen(notes, answer.call_start)
        self.improviser.move_to(answer.start)
        style = self.settings.config.answer_style
        self.improviser.bias = self.planner.plan(notes, style, answer.start, answer.end,
                                                 self.generator.form.bar_ticks)
        self.generator.heard([n.velocity for n in notes], answer.start)
        self.span = Span(answer.start, answer.end, answer)
        self.generator.play(self.span, answer.start + 1)
        self.answers.append((answer, began, self.now()))
        if self.planner.last is not None:
            self.emit(LogLine("info", f"answer: {self.planner.last.description}"))
