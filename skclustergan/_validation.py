"""Argument checks shared by the public functions and methods that sklearn's
parameter validation does not cover (method arguments, module functions)."""

from __future__ import annotations

from numbers import Integral

import numpy as np

_MAX_SEED = 2**32 - 1


def check_random_state_argument(value, owner: str) -> None:
    """Raise naming ``random_state`` and ``owner`` unless ``check_random_state`` takes ``value``.

    That is None, an int in ``[0, 2**32 - 1]`` (bools excluded, as for the
    other int arguments), a ``numpy.random.RandomState`` or the ``numpy.random``
    module. sklearn's own message (``'x' cannot be used to seed a
    numpy.random.RandomState instance``) names no parameter. ``owner`` is the
    public callable, e.g. ``"ClusterGAN.sample"``.
    """
    if value is None or value is np.random or isinstance(value, np.random.RandomState):
        return
    expected = (
        f"The 'random_state' parameter of {owner} must be an int in the range "
        f"[0, {_MAX_SEED}], a numpy.random.RandomState instance or None."
    )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
        raise TypeError(f"{expected} Got {value!r} of type {type(value).__name__} instead.")
    if not 0 <= value <= _MAX_SEED:
        raise ValueError(f"{expected} Got {value!r} instead.")
