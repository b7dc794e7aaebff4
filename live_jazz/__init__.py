"""live-jazz: a real-time MIDI instrument that improvises jazz with an LSTM."""
