"""The "values": notes + chords <-> value indices, and the vocabulary."""

from live_jazz.encoding.codec import DEFAULT_REGISTER, Decoder, Note, decode, encode, role_of
from live_jazz.encoding.values import (
    COUNT_IN,
    DURATIONS,
    MOTIONS,
    START,
    TICKS_PER_BEAT,
    Motion,
    Role,
    Value,
    motion_of,
)
from live_jazz.encoding.vocabulary import Vocabulary, value_distance

__all__ = [
    "COUNT_IN",
    "DEFAULT_REGISTER",
    "DURATIONS",
    "MOTIONS",
    "START",
    "TICKS_PER_BEAT",
    "Decoder",
    "Motion",
    "Note",
    "Role",
    "Value",
    "Vocabulary",
    "decode",
    "encode",
    "motion_of",
    "role_of",
    "value_distance",
]
