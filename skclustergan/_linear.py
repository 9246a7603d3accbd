"""Which library runs the float32 matrix products of CPU inference: BLAS or oneDNN.

``torch.addmm`` on a CPU calls the BLAS torch was built with: Intel MKL in the
x86 wheels. MKL runs its fastest code only on Intel processors; on others (an
AMD EPYC with AVX-512, for one) it runs its generic AVX2 code at about half the
core's float32 rate, while oneDNN, which torch also ships, picks its code by
the instruction set and reaches the full rate (benchmarks/README.md, twenty-ninth
session: 2048 x 256 @ 256 x 256 at 452 against 199 GFLOP/s on two cores).
:func:`onednn_is_faster` measures the two once per process on a block of the
size inference uses, and :class:`PackedLinear` runs one layer through oneDNN with
its weight packed once. Only float32 on the CPU goes this way; anything else,
or a torch without these operators, stays with ``torch.addmm``.
"""

from __future__ import annotations

import functools
import time

import torch
from torch import nn

# a oneDNN output is allocated per call (no ``out=``): glibc maps and unmaps
# blocks of 2 MB and more, which doubled the time of 2,048 x 256 passes; at
# most 1 MiB per activation they reuse the heap (benchmarks/README.md)
ONEDNN_MAX_ACTIVATION_BYTES = 2**20
# packing a 256 x 256 weight takes ~100 us: a call pays it back from some thousand rows
# (1,797 rows ran as fast either way, one row 5 times slower); smaller calls keep the BLAS
ONEDNN_MIN_ROWS = 8192
_CALIBRATION_SHAPE = (1024, 256, 256)  # rows, in, out: a hidden layer at inference
_MARGIN = 1.2  # oneDNN must win by this factor: no flip-flop between close timings


def onednn_linear_available() -> bool:
    """Whether this torch has oneDNN's packed-weight linear operators."""
    ops = torch.ops.mkldnn
    return (
        torch.backends.mkldnn.is_available()
        and hasattr(ops, "_linear_pointwise")
        and hasattr(ops, "_reorder_linear_weight")
    )


@functools.cache
def onednn_is_faster() -> bool:
    """Whether oneDNN beats ``torch.addmm`` by ``_MARGIN`` on this CPU (measured once).

    A few dozen products of a 1,024 x 256 block, about 50 ms; any error (an
    operator missing or failing on this platform, a wrong result) means no.
    """
    if not onednn_linear_available():
        return False
    try:
        with torch.inference_mode():
            return _time_blas_and_onednn()
    except (RuntimeError, NotImplementedError, TypeError, ValueError):
        return False


def _time_blas_and_onednn() -> bool:
    rows, n_in, n_out = _CALIBRATION_SHAPE
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(rows, n_in, generator=gen)
    weight = torch.rand(n_out, n_in, generator=gen) - 0.5
    bias = torch.rand(n_out, generator=gen)
    layer = PackedLinear(weight, bias, slope=None, rows=rows)
    out = torch.empty(rows, n_out)

    def blas() -> torch.Tensor:
        return torch.addmm(bias, x, weight.t(), out=out)

    if not torch.allclose(layer(x), blas(), rtol=1e-4, atol=1e-4):
        return False
    calls = {"blas": blas, "onednn": lambda: layer(x)}
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(3):  # interleaved rounds: both see the same phases of the machine
        for name, call in calls.items():
            best[name] = min(best[name], _seconds(call, repeats=8))
    return best["onednn"] * _MARGIN < best["blas"]


def _seconds(call, repeats: int) -> float:
    call()  # warm: the first call may allocate or pick kernels
    start = time.perf_counter()
    for _ in range(repeats):
        call()
    return time.perf_counter() - start


class PackedLinear:
    """``leaky_relu(x @ W.T + b)`` (or without the activation) through oneDNN.

    The weight is copied once into oneDNN's blocked layout for ``rows``-row
    inputs (any number of rows works); later changes to the module's weight are
    not seen, so build it for one inference call.
    """

    def __init__(
        self, weight: torch.Tensor, bias: torch.Tensor | None, slope: float | None, rows: int
    ) -> None:
        self.weight = torch.ops.mkldnn._reorder_linear_weight(weight.detach(), rows)
        self.bias = None if bias is None else bias.detach()
        self.attr, self.scalars = ("none", []) if slope is None else ("leaky_relu", [slope])

    @classmethod
    def of(cls, linear: nn.Linear, slope: float | None, rows: int) -> PackedLinear:
        return cls(linear.weight, linear.bias, slope, rows)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(
            x, self.weight, self.bias, self.attr, self.scalars, ""
        )


def onednn_rows(widths, rows: int) -> int:
    """``rows`` cut so that no float32 activation of these widths passes 1 MiB."""
    cap = ONEDNN_MAX_ACTIVATION_BYTES // (4 * max(widths))
    return max(1, min(rows, cap))
