"""Relative error of float32 conv passes (NCHW vs channels_last) against float64, conv-small shapes."""

import torch
import torch.nn.functional as F

from skclustergan._conv_kernels import conv_transpose2d as native_or_default

torch.set_num_threads(2)
g = torch.Generator().manual_seed(0)


def rel(a, b):
    return ((a.double() - b).norm() / b.norm()).item()


cases = {
    "D conv1 1->32": ((64, 1, 28, 28), (32, 1, 4, 4)),
    "D conv2 32->64": ((64, 32, 14, 14), (64, 32, 4, 4)),
}
for name, (xs, ws) in cases.items():
    x64 = torch.randn(*xs, generator=g, dtype=torch.float64)
    w64 = torch.randn(*ws, generator=g, dtype=torch.float64) * 0.1
    ref = F.conv2d(x64, w64, stride=2, padding=1)
    gout = torch.randn_like(ref)
    x64.requires_grad_()
    w64.requires_grad_()
    F.conv2d(x64, w64, stride=2, padding=1).backward(gout)
    for fmt in (torch.contiguous_format, torch.channels_last):
        x = x64.detach().float().contiguous(memory_format=fmt).requires_grad_()
        w = w64.detach().float().contiguous(memory_format=fmt).requires_grad_()
        y = F.conv2d(x, w, stride=2, padding=1)
        y.backward(gout.float().contiguous(memory_format=fmt))
        print(
            f"{name} {fmt!s:25s} out {rel(y, ref):.1e} dx {rel(x.grad, x64.grad):.1e} dw {rel(w.grad, w64.grad):.1e}"
        )
# transposed convs of G: 64->32 (7->14) and 32->1 (14->28)
for name, (xs, ws) in {
    "G deconv 64->32": ((64, 64, 7, 7), (64, 32, 4, 4)),
    "G deconv 32->1": ((64, 32, 14, 14), (32, 1, 4, 4)),
}.items():
    x64 = torch.randn(*xs, generator=g, dtype=torch.float64)
    w64 = torch.randn(*ws, generator=g, dtype=torch.float64) * 0.1
    ref = F.conv_transpose2d(x64, w64, stride=2, padding=1)
    gout = torch.randn_like(ref)
    x64.requires_grad_()
    w64.requires_grad_()
    F.conv_transpose2d(x64, w64, stride=2, padding=1).backward(gout)
    for fmt in (torch.contiguous_format, torch.channels_last):
        x = x64.detach().float().contiguous(memory_format=fmt).requires_grad_()
        w = w64.detach().float().contiguous(memory_format=fmt).requires_grad_()
        for label, op in (
            ("F.conv_transpose2d", F.conv_transpose2d),
            ("skclustergan's", native_or_default),
        ):
            x.grad = w.grad = None
            y = op(x, w, stride=2, padding=1)
            y.backward(gout.float().contiguous(memory_format=fmt))
            print(
                f"{name} {fmt!s:25s} {label:18s} out {rel(y, ref):.1e} dx {rel(x.grad, x64.grad):.1e} dw {rel(w.grad, w64.grad):.1e}"
            )
