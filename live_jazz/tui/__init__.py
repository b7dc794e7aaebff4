"""The Textual TUI: the instrument's face. The only package that imports Textual.

Layout (after frogmouth): ``app.py`` (the App and ``make_app``), ``screens/`` (main screen,
chord editor, help), ``widgets/`` (transport, progression, piano roll, model plot, log, status),
``messages.py`` (dataclass messages), ``bridge.py`` (engine subscriber -> ``post_message``),
``controller.py`` (what each control does to the engine, without Textual), ``settings.py``
(the user's settings file).
"""
