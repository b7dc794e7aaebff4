"""The improviser: the musical path from the model's values to notes in ticks, shared by
``live-jazz generate`` and the live engine.

An ``Improviser`` owns a ``Sampler`` (the LSTM state ``a``, ``c``), a ``Decoder`` (the previous
pitch and the running position in ticks, 12 a beat) and the chords (a ``ChordSource``). Each
``step`` samples one value and decodes it at the running position over the chord sounding
there; ``until`` runs ahead to a tick (the engine keeps a beat or two of look-ahead this way).
``listen`` feeds a human's phrase to the model, so the next steps answer it; ``move_to`` skips
to a later position, telling the model the silence in between.

Every value the model samples or hears comes with its features (``encoding.features``): where
it starts in the bar (``meter``), the chords there and next against the previous pitch, the
register and the tempo, and where the line is in its phrase (``encoding.phrase``: the
improviser carries the phrase context through every value it plays, hears or skips, as
training does). The phrase also sets each step's temperature (``music.phrase_temperature``).
Every tick of the position is still accounted for by a value the model
sampled or observed: that is why ``move_to`` observes rests rather than jumping.

Not thread-safe: one thread (the engine's) calls it. A step is one sampler step (tens of
microseconds) and one pitch choice; nothing in it allocates more than a few small objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from live_jazz.encoding import DEFAULT_REGISTER, Decoder, Note, Value
from live_jazz.encoding.codec import encode_line
from live_jazz.encoding.features import FeatureEncoder, Harmony, Meter, RegularMeter
from live_jazz.encoding.phrase import PhraseContext
from live_jazz.encoding.values import split_duration
from live_jazz.model.bundle import Weights
from live_jazz.model.sampler import Sampler, SamplerState
from live_jazz.music.phrase_temperature import PHRASE_TEMPERATURE, PhraseTemperature

DEFAULT_TEMPO = 120.0
"""Tempo (BPM) the features assume until ``set_tempo``."""

StepBias = Callable[[int, "int | None"], "np.ndarray | None"]
"""(tick, previous pitch) -> an additive log-probability bias over the vocabulary, or None."""


@dataclass(frozen=True, slots=True)
class Step:
    """One sampled value and what became of it."""

    index: int
    """The value's index in the vocabulary."""
    value: Value
    """The sampled value."""
    note: Note | None
    """The decoded note (its onset is ``tick``), or None for a rest."""
    tick: int
    """Where the value starts, in ticks (12 a beat) from the start of the piece."""
    entropy: float
    """Entropy (nats) of the distribution the value was drawn from."""
    top_probability: float
    """Probability of the most likely value in that distribution."""
    a_norm: float
    """Euclidean norm of the LSTM hidden state after the step."""
    c_norm: float
    """Euclidean norm of the LSTM cell state after the step."""

    @property
    def end(self) -> int:
        """Where the next value starts."""
        return self.tick + self.value.duration


class Improviser:
    """Samples values and turns them into notes over the chords, at a running position.

    ``rng`` seeds everything random: the sampler and the decoder's pitch choices get
    independent generators seeded from it, so a seed gives the same solo every time.
    """

    def __init__(
        self,
        weights: Weights,
        timeline: Harmony,
        rng: np.random.Generator,
        *,
        meter: Meter | None = None,
        tempo: float = DEFAULT_TEMPO,
        temperature: float = 1.0,
        top_p: float = 1.0,
        velocity: int = 90,
        register: tuple[int, int] = DEFAULT_REGISTER,
        loop_guard: bool = True,
        phrase_temperature: PhraseTemperature = PHRASE_TEMPERATURE,
    ) -> None:
        seeds = rng.integers(2**63, size=2)
        sampler_rng, decoder_rng = (np.random.default_rng(int(s)) for s in seeds)
        self.sampler = Sampler(weights, sampler_rng, loop_guard=loop_guard)
        """The LSTM and its state (read it; change it through the methods here)."""
        self.decoder = Decoder(decoder_rng, register, articulation=weights.articulation)
        """Pitch choice, the previous pitch and the running position."""
        self.timeline = timeline
        """The chords the values are decoded over (``set_timeline`` to change)."""
        self.meter: Meter = meter if meter is not None else RegularMeter()
        """Where the bar lines are (4/4 from tick 0 unless given)."""
        self.tempo = float(tempo)
        """Tempo in BPM, a feature of every step (``set_tempo`` to change)."""
        self._values = weights.vocabulary.values
        self.bias: StepBias | None = None
        """Added to the model's log-probabilities before each step (an answer's pull toward
        its call, ``music.answer_styles``); None: the model alone."""
        self.phrase_temperature = phrase_temperature
        """Multiplies ``temperature`` by where the line is in its phrase, at every step."""
        self.temperature = 1.0
        """The sampling temperature set (``set_temperature``)."""
        self.phrase = PhraseContext.after_count_in()
        """The phrase so far (a feature of every step; moves with every value played or
        heard)."""
        self._encoder = FeatureEncoder(weights.features, self.decoder.center)
        self._row = np.zeros(weights.features.size, self.sampler.dtype)
        self.set_temperature(temperature)
        self.set_top_p(top_p)
        self.set_velocity(velocity)

    # -- settings (take effect from the next step) ---------------------------------------------

    def set_temperature(self, temperature: float) -> None:
        """Sampling temperature, >= 0 (0 = always the most likely value)."""
        if not temperature >= 0.0:
            raise ValueError(f"temperature must be >= 0, got {temperature}")
        self.temperature = float(temperature)
        self._phrase_temperature()

    def _phrase_temperature(self) -> None:
        """The sampler's temperature for the next step: the one set times the phrase's
        multiplier (after every move of the phrase)."""
        self.sampler.temperature = self.temperature * self.phrase_temperature.factor(self.phrase)

    def set_top_p(self, top_p: float) -> None:
        """Nucleus sampling share in (0, 1] (1 = off)."""
        if not 0.0 < top_p <= 1.0:
            raise ValueError(f"top-p must be in (0, 1], got {top_p}")
        self.sampler.top_p = float(top_p)

    def set_velocity(self, velocity: int) -> None:
        """MIDI velocity (1-127) of the notes decoded from now on."""
        if not 1 <= velocity <= 127:
            raise ValueError(f"velocity must be 1-127, got {velocity}")
        self.decoder.velocity = int(velocity)

    def set_timeline(self, timeline: Harmony, meter: Meter | None = None) -> None:
        """Decode over new chords (and bar lines, if given) from the next step on (the
        running position stays)."""
        self.timeline = timeline
        if meter is not None:
            self.meter = meter

    def set_tempo(self, bpm: float) -> None:
        """The tempo the model is told from the next step on."""
        self.tempo = float(bpm)

    def features_at(self, tick: int, prev_pitch: int | None) -> np.ndarray | None:
        """The features of a value starting at ``tick`` after ``prev_pitch`` and the phrase so
        far (a buffer reused by every step; None for a values-only model)."""
        if not self._row.size:
            return None
        self._encoder.fill(self._row, tick, prev_pitch, self.timeline, self.meter, self.tempo,
                           self.phrase)
        return self._row

    @property
    def position(self) -> int:
        """Where the next value starts, in ticks."""
        return self.decoder.tick

    # -- playing ------------------------------------------------------------------------------

    def step(self) -> Step:
        """Sample one value, decode it at ``position`` and advance past it."""
        tick = self.decoder.tick
        bias = self.bias(tick, self.decoder.prev_pitch) if self.bias is not None else None
        index = self.sampler.sample(self.features_at(tick, self.decoder.prev_pitch), bias)
        value = self._values[index]
        note = self.decoder.step(value, self.timeline)
        self.phrase.advance(value.duration, None if note is None else note.pitch)
        self._phrase_temperature()
        a, c = self.sampler.a, self.sampler.c
        return Step(
            index,
            value,
            note,
            tick,
            self.sampler.last_entropy,
            self.sampler.last_top_probability,
            float(np.sqrt(np.dot(a, a))),
            float(np.sqrt(np.dot(c, c))),
        )

    def until(self, tick: int) -> list[Step]:
        """Steps until ``position`` reaches ``tick`` (the last may run past it; none if it is
        already there)."""
        steps = []
        while self.decoder.tick < tick:
            steps.append(self.step())
        return steps

    def listen(self, notes: Iterable[Note], start_tick: int) -> list[Value]:
        """Hear a human's phrase: ``notes`` (absolute ticks; those before ``start_tick`` are
        ignored) are encoded against the chords under them, from ``start_tick`` on, and
        observed by the model. The position moves to the end of the phrase and the previous
        pitch becomes the phrase's last, so the answer grows out of the call. ``start_tick``
        is normally the current position (the model heard everything up to there); if it is
        later, the gap is observed as rest first. Returns the values heard."""
        self.move_to(start_tick)
        decoder = self.decoder
        played = encode_line(notes, self.timeline, start_tick=decoder.tick,
                             prev_pitch=decoder.prev_pitch)
        for item in played:
            self.sampler.observe_value(item.value, self.features_at(decoder.tick,
                                                                    decoder.prev_pitch))
            decoder.tick += item.value.duration
            self.phrase.advance(item.value.duration, item.pitch)
            if item.pitch is not None:
                decoder.prev_pitch = item.pitch
        self._phrase_temperature()
        return [item.value for item in played]

    def move_to(self, tick: int) -> None:
        """Continue from ``tick``: the silence from ``position`` up to it is observed as rests
        (e.g. to answer on the next bar line). Moving back only moves the position: the model
        keeps what it played (use ``snapshot``/``restore`` to take values back)."""
        gap = tick - self.decoder.tick
        decoder = self.decoder
        for duration in split_duration(gap) if gap > 0 else ():
            self.sampler.observe_value(Value(duration),
                                       self.features_at(decoder.tick, decoder.prev_pitch))
            decoder.tick += duration
            self.phrase.advance(duration, None)
        decoder.tick = tick
        self._phrase_temperature()

    def reset(self, tick: int = 0) -> None:
        """Start a new solo at ``tick``: the model's state from the count-in, no previous
        pitch, a phrase about to start."""
        self.sampler.reset()
        self.phrase.restore(PhraseContext.after_count_in())
        self._phrase_temperature()
        self.decoder.prev_pitch = None
        self.decoder.tick = tick

    def snapshot(self) -> ImproviserState:
        """The state before the next step (``restore`` takes the steps since back)."""
        return ImproviserState(self.decoder.tick, self.sampler.snapshot(), self.decoder.prev_pitch,
                               self.phrase.copy())

    def restore(self, state: ImproviserState) -> None:
        """Return to a snapshot: the model, the previous pitch, the phrase and the position."""
        self.sampler.restore(state.sampler)
        self.phrase.restore(state.phrase)
        self._phrase_temperature()
        self.decoder.prev_pitch = state.prev_pitch
        self.decoder.tick = state.tick


@dataclass(frozen=True)
class ImproviserState:
    """The improviser before one of its steps."""

    tick: int
    """Its position."""
    sampler: SamplerState
    """The model's state."""
    prev_pitch: int | None
    """The previous pitch the decoder moves from."""
    phrase: PhraseContext
    """The phrase so far (a copy)."""
