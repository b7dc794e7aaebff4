"""The shipped seed-exact weights (carried as ``live_jazz.weights.seed``)."""
