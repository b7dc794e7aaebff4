"""Training and evaluation of the improviser (imports live_jazz; never imported by it)."""
