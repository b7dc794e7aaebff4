"""The shipped weights (a data package: the distribution carries this folder as ``live_jazz.weights``)."""
