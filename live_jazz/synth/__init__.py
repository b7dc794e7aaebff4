"""The built-in voice: a SoundFont synthesizer (FluidSynth) that plays what the engine sends.

``SynthPort`` is an output port beside the MIDI ones: the engine sends it timed messages as it
sends any port; the port only queues them with their time, and the audio callback renders them
at their sample (``timeline``). ``offline`` renders a whole piece to a WAV file with the same
voice. Imports nothing from the TUI or the CLI; FluidSynth and miniaudio (the ``synth`` extra)
are imported only when a voice is opened.
"""
