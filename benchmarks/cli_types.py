"""argparse ``type=`` converters shared by the benchmark scripts.

A bad value becomes argparse's usual one-line error naming the option, e.g.
``error: argument --threads: must be an integer >= 1, got '0'``, before any
work starts (a 4 GB data file, a fit) rather than a traceback after it.
"""

from __future__ import annotations

import argparse

MAX_SEED = 2**32 - 1  # the seeds numpy and sklearn accept as random_state


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None


def positive_int(text: str) -> int:
    """An int >= 1 (thread counts, iterations, sizes)."""
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}")
    return value


def seed(text: str) -> int:
    """An int in ``[0, 2**32 - 1]``."""
    value = _integer(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be a seed in 0..{MAX_SEED}, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """A finite float > 0 (time budgets)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value
