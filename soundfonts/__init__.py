"""The shipped soundfont (a data package: the distribution carries this folder as ``live_jazz.soundfonts``)."""
