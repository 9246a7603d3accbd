"""Relative error of float32 conv passes (NCHW vs channels_last) against float64, conv-small shapes."""

import torch
import torch.nn.functional as F

from skclustergan._conv_kernels import conv_transpose2d as native_or_default

# name: (input shape, weight shape, float64 reference op, float32 ops to compare)
CASES = {
    "D conv1 1->32": ((64, 1, 28, 28), (32, 1, 4, 4), F.conv2d, {"F.conv2d": F.conv2d}),
    "D conv2 32->64": ((64, 32, 14, 14), (64, 32, 4, 4), F.conv2d, {"F.conv2d": F.conv2d}),
    "G deconv 64->32": (
        (64, 64, 7, 7), (64, 32, 4, 4), F.conv_transpose2d,
        {"F.conv_transpose2d": F.conv_transpose2d, "skclustergan's": native_or_default},
    ),
    "G deconv 32->1": (
        (64, 32, 14, 14), (32, 1, 4, 4), F.conv_transpose2d,
        {"F.conv_transpose2d": F.conv_transpose2d, "skclustergan's": native_or_default},
    ),
}  # fmt: skip


def rel(a, b):
    return ((a.double() - b).norm() / b.norm()).item()


def main() -> None:
    torch.set_num_threads(2)
    g = torch.Generator().manual_seed(0)
    for name, (xs, ws, reference, ops) in CASES.items():
        x64 = torch.randn(*xs, generator=g, dtype=torch.float64, requires_grad=True)
        w64 = (torch.randn(*ws, generator=g, dtype=torch.float64) * 0.1).requires_grad_()
        ref = reference(x64, w64, stride=2, padding=1)
        gout = torch.randn_like(ref)
        ref.backward(gout)
        for fmt in (torch.contiguous_format, torch.channels_last):
            x = x64.detach().float().contiguous(memory_format=fmt).requires_grad_()
            w = w64.detach().float().contiguous(memory_format=fmt).requires_grad_()
            for label, op in ops.items():
                x.grad = w.grad = None
                y = op(x, w, stride=2, padding=1)
                y.backward(gout.float().contiguous(memory_format=fmt))
                errors = [rel(y, ref), rel(x.grad, x64.grad), rel(w.grad, w64.grad)]
                print(
                    f"{name} {fmt!s:25s} {label:18s} out {errors[0]:.1e} dx {errors[1]:.1e} dw {errors[2]:.1e}"
                )


if __name__ == "__main__":
    main()
