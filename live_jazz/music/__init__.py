"""Music that the live engine and generate share: the improviser, comping, swing, the form, MIDI files."""
