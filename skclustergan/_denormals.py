"""Flushing denormal floats to zero while training on the CPU.

Saturated units drive some activations and gradients below float32's smallest
normal number (about 1.2e-38), where x86 arithmetic runs many times slower: a
Fashion-MNIST fit of the ``conv-small`` nets on one thread fell from 8 to 3
iterations/s within 4,500 iterations (benchmarks/README.md, sixteenth session).
Flushing them to zero changes values below that bound only.

The CPU's flush mode is a per-thread setting, and ``torch.set_flush_denormal``
sets it for the calling thread only, while torch runs its operations on a team
of OpenMP threads. :func:`flush_denormals` therefore sets it on the calling
thread and, where torch's OpenMP runtime can be reached (``GOMP_parallel`` of
the runtime that torch loaded, found through ``/proc/self/maps`` on Linux), on
each thread of the team as well; it restores every thread's previous mode on
exit. Elsewhere it covers the calling thread, which is all of a one-thread fit.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import threading
from collections.abc import Callable, Iterator

import torch

_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_OPENMP_NAMES = ("libgomp", "libomp", "libiomp")


def flushing_denormals() -> bool:
    """Whether the calling thread flushes denormal float32 results to zero."""
    tiny = torch.finfo(torch.float32).tiny
    return bool(torch.full((1,), tiny).mul_(0.5).item() == 0.0)


@contextlib.contextmanager
def flush_denormals(device: torch.device) -> Iterator[None]:
    """Flush denormals to zero on torch's CPU threads for the block (no-op off the CPU)."""
    if device.type != "cpu":
        yield
        return
    previous: dict[int, bool] = {}

    def enable() -> None:
        previous[threading.get_ident()] = flushing_denormals()
        torch.set_flush_denormal(True)

    def restore() -> None:
        if not previous.get(threading.get_ident(), True):
            torch.set_flush_denormal(False)

    _on_each_thread(enable)
    try:
        yield
    finally:
        _on_each_thread(restore)


def _on_each_thread(func: Callable[[], None]) -> None:
    """Run ``func`` on the calling thread and on each of torch's intra-op OpenMP threads."""
    parallel = _openmp_parallel()
    n_threads = torch.get_num_threads()
    ran: set[int] = set()

    def run(_data) -> None:
        ran.add(threading.get_ident())
        with contextlib.suppress(Exception):  # an error must not cross the C boundary
            func()

    if parallel is not None and n_threads > 1:
        callback = _CALLBACK(run)  # referenced until the call returns
        parallel(callback, None, n_threads, 0)
    if threading.get_ident() not in ran:
        func()


@functools.cache
def _openmp_parallel():
    """``GOMP_parallel`` of the OpenMP runtime in torch's own library folder, or None."""
    torch_dir = os.path.dirname(os.path.abspath(torch.__file__))
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        name = os.path.basename(path)
        if not (name.startswith(_OPENMP_NAMES) and path.startswith(torch_dir + os.sep)):
            continue
        try:
            parallel = ctypes.CDLL(path).GOMP_parallel
        except (OSError, AttributeError):
            continue
        parallel.argtypes = [_CALLBACK, ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
        parallel.restype = None
        return parallel
    return None
