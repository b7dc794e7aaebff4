"""Hearing a microphone: a monophonic player's notes from audio, live and offline.

``pitch`` finds the pitch of a short window (McLeod's NSDF, numpy); ``tracker`` turns audio
blocks into note starts and ends as they come; ``wavfile`` reads a file for ``transcribe``;
``capture`` runs the tracker on a sound card's input (miniaudio) or on a file in memory, on a
thread of its own, and hands the notes to the engine's input queue as MIDI keys.
"""
