#!/usr/bin/env python
"""Training and inference speed of skclustergan on a CUDA GPU, measured side by side.

The GPU counterpart of ``speed.py`` (whose CPU figures the speed issue's targets
are about), with the same cases and helpers, on ``cuda``:

1. **Training speed**: iterations per second of ``ClusterGAN.fit``'s training
   loop (``Trainer.fit``) against ``reference_loop.py`` on the same device (data
   in host memory, one DataLoader batch copied to the GPU per critic step,
   default Adam, ``.item()`` after every step), for the tabular nets (sklearn
   digits, hidden (256, 256), batch 64; with and without ``compile=True``) and
   the paper's conv MNIST nets and ``conv-small`` (batch 64, random images).
   Interleaved blocks, the device synchronised before each clock read; the
   best block of each loop counts, with the median pair ratio beside it.
2. **FLOPs**: one iteration's operations (counted as in ``speed.py``) over the
   measured time, against the GPU's float32 matmul rate (8192^3, TF32 off, as
   torch's default for matmul) and its TF32 and bf16 rates, measured in the same
   run. cuDNN convolutions use TF32 by default (``torch.backends.cudnn.allow_tf32``).
3. **Inference**: ``predict`` / ``transform`` on 1,000,000 x 64 float32 rows held
   in host memory (so the rate includes the copies to the GPU and back), the
   peak GPU memory allocated during the call, and ``KMeans.predict`` on the CPU
   beside it.
4. **Time to quality**: as in ``speed.py`` (fresh default fits of 1,000, 2,000,
   ... iterations on sklearn digits until the argmax read-out reaches 0.85), on
   the GPU, seeds 0, 1, 2.

Usage (from the repository root, on a machine with CUDA)::

    python benchmarks/gpu_speed.py --out gpu_speed.md

Timings are only meaningful on an otherwise idle GPU.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
import torch

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import cli_types  # noqa: E402
import speed  # noqa: E402

from skclustergan import ClusterGAN  # noqa: E402
from skclustergan.datasets import load_digits_scaled  # noqa: E402

GPU_SETTINGS = dataclasses.replace(
    speed.FULL,
    tab_iters=200,
    conv_iters=50,
    small_conv_iters=50,
    blocks=5,
    tab_warmup=30,
    conv_warmup=5,
    quality_cap_s=60.0,
)


def log(message: str) -> None:
    print(f"[gpu_speed] {message}", file=sys.stderr, flush=True)


def gpu_matmul_rate(dtype: torch.dtype, tf32: bool = False, n: int = 8192, reps: int = 10) -> float:
    """Median FLOP/s of an ``n x n @ n x n`` product on the GPU (CUDA events)."""
    previous = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = tf32
    try:
        gen = torch.Generator(device="cuda").manual_seed(0)
        a = torch.randn(n, n, device="cuda", dtype=dtype, generator=gen)
        b = torch.randn(n, n, device="cuda", dtype=dtype, generator=gen)
        for _ in range(3):
            a @ b
        times = []
        for _ in range(reps):
            start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            a @ b
            stop.record()
            stop.synchronize()
            times.append(start.elapsed_time(stop) / 1e3)
        return 2.0 * n**3 / statistics.median(times)
    finally:
        torch.backends.cuda.matmul.allow_tf32 = previous


def inference(method: str, rows: int, reps: int = 3) -> dict:
    """Rows per second of one call on host rows, and the GPU memory it allocated."""
    X = np.random.default_rng(0).random((rows, speed.INFERENCE_FEATURES), dtype=np.float32)
    if method == "kmeans":
        from sklearn.cluster import KMeans

        call = KMeans(n_clusters=10, random_state=0).fit(X[:10000]).predict
    else:
        model = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cuda")
        call = getattr(model.fit(load_digits_scaled()[0]), method)
    call(X[:20000])  # warm-up
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        out = call(X)  # returns host arrays: the GPU work is done
        times.append(time.perf_counter() - start)
    return {
        "method": method,
        "rows": rows,
        "best_s": min(times),
        "rows_per_s": rows / min(times),
        "gpu_peak_extra_mib": (torch.cuda.max_memory_allocated() - base) / 2**20,
        "output_shape": list(np.shape(out)),
    }


def render(args, rates: dict, training, inference_rows, quality) -> str:
    command = "python benchmarks/gpu_speed.py " + " ".join(shlex.quote(a) for a in args.argv)
    props = torch.cuda.get_device_properties(0)
    lines = [
        "# Speed on a GPU: training and inference, side by side",
        "",
        f"- Command: `{command}`",
        (
            f"- GPU: {props.name}, {props.multi_processor_count} multiprocessors, "
            f"{props.total_memory / 2**30:.0f} GiB; torch {torch.__version__} (CUDA "
            f"{torch.version.cuda}), scikit-learn {sklearn.__version__}, "
            f"{os.cpu_count()} CPU cores"
        ),
        (
            f"- Matmul 8192^3: float32 {rates['fp32'] / 1e12:.1f} TFLOP/s, TF32 "
            f"{rates['tf32'] / 1e12:.1f}, bf16 {rates['bf16'] / 1e12:.1f}"
        ),
        "",
        "## Training (batch 64)",
        "",
        (
            "| case | fast it/s | reference it/s | ratio (best) | ratio (median pair) "
            "| GFLOP/iter | fast TFLOP/s | % of fp32 matmul | % of TF32 matmul |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in training:
        rate = r.flops / r.fast_s
        lines.append(
            f"| {r.case.label} | {1 / r.fast_s:.1f} | {1 / r.ref_s:.1f} | {r.ref_s / r.fast_s:.2f}x "
            f"| {statistics.median(r.pair_ratios):.2f}x | {r.flops / 1e9:.3g} | {rate / 1e12:.3f} "
            f"| {100 * rate / rates['fp32']:.1f}% | {100 * rate / rates['tf32']:.1f}% |"
        )
    if inference_rows:
        lines += [
            "",
            "## Inference (1,000,000 x 64 float32 rows in host memory)",
            "",
            "| call | rows/s | best s | GPU memory above the model |",
            "|---|---|---|---|",
        ]
        for r in inference_rows:
            where = "CPU" if r["method"] == "kmeans" else "GPU"
            lines.append(
                f"| {r['method']} ({where}) | {r['rows_per_s']:,.0f} | {r['best_s']:.3f} "
                f"| {r['gpu_peak_extra_mib']:.1f} MiB |"
            )
    if quality:
        lines += [
            "",
            f"## Time to {speed.TARGET_ACCURACY} accuracy on sklearn digits (default settings)",
            "",
            "| seed | reached | fit s | max_iter | accuracy |",
            "|---|---|---|---|---|",
        ]
        for q in quality:
            lines.append(
                f"| {q['seed']} | {q['reached']} | {q['time_s']:.1f} | {q['n_iter']} "
                f"| {q['accuracy']:.3f} |"
            )
    return "\n".join(lines) + "\n"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("gpu_speed.md"), help="Markdown report")
    parser.add_argument(
        "--sections", nargs="+", choices=speed.SECTIONS, default=list(speed.SECTIONS)
    )
    parser.add_argument(
        "--nets", nargs="+", choices=("mlp", "conv", "conv-small"),
        default=["mlp", "conv", "conv-small"],
    )
    parser.add_argument(
        "--compiled", choices=("with", "without", "only"), default="with",
        help="training section: the compile=True cases too, not, or alone",
    )
    parser.add_argument("--quality-seeds", type=cli_types.seed, nargs="+", default=[0, 1, 2])
    parser.add_argument("--rows", type=int, default=1_000_000, help="inference rows")
    args = parser.parse_args(argv)
    if args.rows < 20000:  # the warm-up call predicts 20,000 rows
        parser.error(f"--rows must be at least 20000, got {args.rows}")
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not torch.cuda.is_available():
        print("gpu_speed.py needs a CUDA GPU; use speed.py on a CPU.", file=sys.stderr)
        return 2
    cuda = torch.device("cuda")
    rates = {
        "fp32": gpu_matmul_rate(torch.float32),
        "tf32": gpu_matmul_rate(torch.float32, tf32=True),
        "bf16": gpu_matmul_rate(torch.bfloat16),
    }
    log(", ".join(f"{k} {v / 1e12:.1f} TFLOP/s" for k, v in rates.items()))
    training, inference_rows, quality = [], [], []

    def save() -> str:  # after every section, so that a run cut short keeps what it measured
        report = render(args, rates, training, inference_rows, quality)
        args.out.write_text(report)
        raw = {
            "rates": rates,
            "training": [
                {"label": r.case.label, "fast_s": r.fast_s, "ref_s": r.ref_s,
                 "pair_ratios": r.pair_ratios, "flops": r.flops,
                 "finite": r.fast_losses_finite}
                for r in training
            ],
            "inference": inference_rows,
            "quality": quality,
        }
        args.out.with_suffix(".json").write_text(json.dumps(raw, indent=1, default=float))
        return report

    def train(cases) -> None:
        for case in cases:
            log(f"training: {case.label}")
            result = speed.run_training_case(case, GPU_SETTINGS, device=cuda)
            log(f"  fast {1 / result.fast_s:.1f} it/s, reference {1 / result.ref_s:.1f} it/s, "
                f"{result.flops / 1e9:.3g} GFLOP/iter, finite {result.fast_losses_finite}")
            training.append(result)
            save()

    cases = [c for c in speed.training_cases(GPU_SETTINGS.conv_rows) if c.architecture in args.nets]
    compiled = [c for c in cases if c.params.get("compile")]  # measured last: compiling is slow
    if "training" in args.sections and args.compiled != "only":
        train([c for c in cases if c not in compiled])
    if "inference" in args.sections:
        for method in ("predict", "transform", "kmeans"):
            inference_rows.append(inference(method, args.rows))
            log(f"inference: {inference_rows[-1]}")
        save()
    if "quality" in args.sections:
        ClusterGAN(n_clusters=10, max_iter=5, device=cuda).fit(load_digits_scaled()[0])
        for seed in args.quality_seeds:
            quality.append(speed.time_to_quality(seed, GPU_SETTINGS, device=cuda))
            log(f"time to quality: {quality[-1]}")
            save()
    if "training" in args.sections and args.compiled != "without":
        train(compiled)
    print(save())
    return 0


if __name__ == "__main__":
    sys.exit(main())
