"""Transposed convolutions with one output channel, on the CPU kernel that runs them fastest.

A grayscale image generator ends in a transposed convolution to one channel, and the
closed-form gradient penalty applies the adjoint of the critic's first convolution,
the same operation. oneDNN, torch's CPU convolution library, runs it far below its
speed on wider layers: on the project's AMD EPYC, two threads, batch 64, 32 -> 1
channels, 14 x 14 -> 28 x 28, 1.4-1.7 ms, against 0.32 ms for torch's own native
kernel (``slow_conv_transpose2d``: one matrix product, then col2im). So
:func:`conv_transpose2d` sends that case, in float32 or float64 on the CPU outside
autocast, to the native kernel, and everything else to ``torch.nn.functional.conv_transpose2d``.
Both compute the same sums; only their float rounding differs. The backward pass of
either is torch's ``convolution_backward``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.modules.utils import _pair


def _autocast_enabled(device_type: str) -> bool:
    try:
        return torch.is_autocast_enabled(device_type)
    except TypeError:  # torch < 2.4: no device argument
        if device_type == "cpu":
            return torch.is_autocast_cpu_enabled()
        return torch.is_autocast_enabled()


def _native_applies(x: torch.Tensor, weight: torch.Tensor, groups: int) -> bool:
    return (
        x.dim() == weight.dim() == 4
        and weight.shape[1] == 1
        and groups == 1
        and x.device.type == "cpu"
        and x.dtype == weight.dtype
        and x.dtype in (torch.float32, torch.float64)
        and not x.is_mkldnn
        and not _autocast_enabled("cpu")
    )


def conv_transpose2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> torch.Tensor:
    """``torch.nn.functional.conv_transpose2d``, on torch's native CPU kernel for one output channel."""
    if _native_applies(x, weight, groups):
        return torch.ops.aten.slow_conv_transpose2d(
            x, weight, list(weight.shape[2:]), bias, _pair(stride), _pair(padding),
            _pair(output_padding), _pair(dilation),
        )  # fmt: skip
    return F.conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation)


class ConvTranspose2d(nn.ConvTranspose2d):
    """``nn.ConvTranspose2d`` computed by :func:`conv_transpose2d` (same parameters and state)."""

    def forward(self, x: torch.Tensor, output_size: list[int] | None = None) -> torch.Tensor:
        # (the constructor accepts padding_mode="zeros" only)
        output_padding = self._output_padding(
            x, output_size, self.stride, self.padding, self.kernel_size, 2, self.dilation
        )
        return conv_transpose2d(
            x, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups,
            self.dilation,
        )  # fmt: skip
