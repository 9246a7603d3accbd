"""``torch.compile`` for the training steps, falling back to eager when it cannot compile.

Compiling needs a working TorchInductor backend (on the CPU: a C++ compiler) and
takes seconds to tens of seconds the first time a step of a given shape is
traced; TorchInductor caches the result on disk, so later processes start in a
few seconds. A step that fails to compile runs uncompiled, with a warning,
rather than failing the fit.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from time import perf_counter

import torch


class CompiledStep:
    """``fn`` compiled with ``torch.compile``; ``fn`` itself if compiling fails.

    Compilation happens at the first call, before anything runs, so when it
    fails the step is simply run by ``fn`` (no state has changed) and every
    later call goes to ``fn`` too.
    """

    def __init__(self, fn: Callable, name: str) -> None:
        self.fn = fn
        self.name = name
        self._compiled: Callable | None = torch.compile(fn, dynamic=False)
        self._first = True
        self.verbose = 0  # > 0: say how long a first call that compiled took

    @property
    def active(self) -> bool:
        """Whether calls go to the compiled function."""
        return self._compiled is not None

    def __call__(self, *args):
        if self._compiled is None:
            return self.fn(*args)
        if not self._first:
            return self._compiled(*args)
        start = perf_counter()
        try:
            out = self._compiled(*args)
        except Exception as exc:  # noqa: BLE001 - any backend failure means "run eager"
            self._compiled = None
            reason = (str(exc).strip().splitlines() or [""])[0][:200]
            warnings.warn(
                f"torch.compile could not compile the {self.name} "
                f"({type(exc).__name__}: {reason}); "
                "training continues uncompiled.",
                RuntimeWarning,
                stacklevel=2,
            )
            return self.fn(*args)
        self._first = False
        seconds = perf_counter() - start
        if self.verbose and seconds > 1.0:  # it compiled (a cached step takes milliseconds)
            print(
                f"[ClusterGAN] torch.compile prepared the {self.name} in {seconds:.1f}s", flush=True
            )
        return out
