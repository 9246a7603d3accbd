#!/usr/bin/env python
"""Training and inference speed of skclustergan, measured side by side.

One command measures, at a fixed number of threads, on the CPU:

1. **Training speed**: iterations per second of ``ClusterGAN.fit``'s training
   loop (``Trainer.fit``, everything else excluded) against
   ``reference_loop.py``, the same computation written the obvious way
   (DataLoader minibatches, three critic passes, default Adam, ``.item()``
   logging), for the tabular nets (sklearn digits, 64 features, hidden
   (256, 256), batch 64, ``n_critic`` the estimator default and 5) and the conv
   MNIST nets (image_shape (1, 28, 28), batch 64, random data in [0, 1]).
   Both loops run in interleaved blocks; the best block of each counts, and
   beside it the median over the block pairs of reference time / fast time.
2. **FLOPs**: the floating-point operations of one training iteration (critic
   steps with the gradient penalty, the G+E step; forward and backward),
   counted with ``torch.profiler`` (``with_flops=True``). The profiler counts
   matrix products, ``conv2d`` forwards and element-wise ``mul``/``add``, not
   ``convolution_backward`` nor the convolutions of transposed convolutions and
   of the gradient penalty's double backward; those are added from their
   recorded shapes (2 x multiply-adds per computed gradient). Divided by the
   measured time per iteration, this gives the achieved FLOP/s, reported as a
   fraction of the machine's float32 matmul rate (2048 x 2048 @ 2048 x 2048,
   best of a few, same thread count, same run): the better of ``torch.mm``
   (the BLAS, MKL in the x86 wheels) and oneDNN, since MKL runs its generic
   code on non-Intel CPUs, at half the rate oneDNN reaches on an AMD EPYC.
3. **Inference**: ``predict`` and ``transform`` throughput (rows/s) on
   1,000,000 x 64 float32 rows (100,000 with ``--quick``) with a fitted tabular
   model, the peak memory above X's size (process RSS, read from
   ``getrusage``'s peak and a polling thread, and ``tracemalloc``'s peak of
   Python/numpy allocations), the fraction of the matmul rate (encoder FLOPs
   counted with the profiler on one chunk), and beside it
   ``KMeans(n_clusters=10).fit(X[:10000]).predict(X)``. Each command runs in
   fresh processes, so that the peak-memory figures are its own, three
   processes per command with the commands interleaved (this VM's speed
   drifts for minutes at a time); the best call and the largest peak count.
4. **Time to quality**: wall time of the shortest ``ClusterGAN(n_clusters=10,
   random_state=seed, max_iter=N).fit`` on sklearn digits whose argmax
   read-out reaches 0.85 accuracy, N = 1,000, 2,000, 4,000, ... (fresh fits:
   a learning-rate schedule spans one fit), seeds 0, 1, 2, no fit over 180 s.

Usage (from the repository root)::

    python benchmarks/speed.py --threads 2 --out benchmarks/results/speed.md
    python benchmarks/speed.py --quick            # a short smoke run

Timings are only meaningful on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import sklearn
import torch
from threadpoolctl import threadpool_limits

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import cli_types  # noqa: E402
import reference_loop  # noqa: E402

from skclustergan import ClusterGAN  # noqa: E402
from skclustergan._data import TrainingData  # noqa: E402
from skclustergan._linear import PackedLinear, onednn_linear_available  # noqa: E402
from skclustergan._training import HISTORY_KEYS, make_trainer  # noqa: E402
from skclustergan.datasets import load_digits_scaled  # noqa: E402
from skclustergan.metrics import cluster_accuracy  # noqa: E402

try:  # optional: current RSS for the peak-memory figures
    import psutil
except ImportError:  # pragma: no cover
    psutil = None

TARGET_RATIO = {"mlp": 2.0, "conv": 1.0, "conv-small": 1.0}
TARGET_FLOP_FRACTION = {"mlp": 0.5, "conv": 0.8, "conv-small": 0.8}
TARGET_ACCURACY = 0.85
INFERENCE_FEATURES = 64


@dataclass(frozen=True)
class Settings:
    tab_iters: int  # iterations per timed block, tabular nets
    conv_iters: int  # iterations per timed block, conv nets
    blocks: int  # timed blocks per loop (interleaved fast / reference)
    tab_warmup: int
    conv_warmup: int
    matmul_reps: int
    rows: int
    inference_reps: int
    inference_rounds: int  # fresh processes per method, methods interleaved
    quality_seeds: tuple[int, ...]
    quality_cap_s: float
    quality_first_iter: int
    conv_rows: int = 2048
    small_conv_iters: int = 64  # iterations per timed block, conv-small nets


FULL = Settings(
    tab_iters=200,
    conv_iters=8,
    blocks=9,
    tab_warmup=20,
    conv_warmup=2,
    matmul_reps=5,
    rows=1_000_000,
    inference_reps=3,
    inference_rounds=3,
    quality_seeds=(0, 1, 2),
    quality_cap_s=180.0,
    quality_first_iter=1000,
)
QUICK = Settings(
    tab_iters=10,
    conv_iters=1,
    blocks=2,
    tab_warmup=2,
    conv_warmup=1,
    matmul_reps=2,
    rows=100_000,
    inference_reps=1,
    inference_rounds=1,
    quality_seeds=(0, 1, 2),
    quality_cap_s=3.0,
    quality_first_iter=20,
    small_conv_iters=2,
)

CPU = torch.device("cpu")


def log(message: str) -> None:
    print(f"[speed] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Machine figures
# --------------------------------------------------------------------------


def matmul_rate(n: int = 2048, reps: int = 5, dtype: torch.dtype = torch.float32) -> float:
    """Best FLOP/s of an ``n x n @ n x n`` ``torch.mm`` (the BLAS: MKL in the x86
    wheels) at torch's thread count (float32 default)."""
    a = torch.randn(n, n, generator=torch.Generator().manual_seed(0)).to(dtype)
    b = torch.randn(n, n, generator=torch.Generator().manual_seed(1)).to(dtype)
    c = torch.empty(n, n, dtype=dtype)
    return 2.0 * n**3 / _best_seconds(lambda: torch.mm(a, b, out=c), reps)


def onednn_matmul_rate(n: int = 2048, reps: int = 5) -> float:
    """Best float32 FLOP/s of the same product through oneDNN; NaN without it.

    The better of its two entry points in torch: the packed-weight linear that
    skclustergan's inference uses, and ``mkldnn_linear`` on oneDNN-layout tensors.
    On CPUs where the BLAS does not run its best code (MKL on AMD processors),
    this is the machine's float32 limit.
    """
    if not onednn_linear_available():
        return math.nan
    a = torch.randn(n, n, generator=torch.Generator().manual_seed(0))
    b = torch.randn(n, n, generator=torch.Generator().manual_seed(1))
    packed = PackedLinear(b, None, slope=None, rows=n)
    a_onednn = a.to_mkldnn()
    with torch.inference_mode():
        best = min(
            _best_seconds(lambda: packed(a), reps),
            _best_seconds(lambda: torch._C._nn.mkldnn_linear(a_onednn, b, None), reps),
        )
    return 2.0 * n**3 / best


def small_matmul_rate(
    rows: int = 64, width: int = 256, calls: int = 500, reps: int = 5, onednn: bool = False
) -> float:
    """Best float32 FLOP/s at the tabular nets' hidden-layer shape.

    ``(rows x width) @ (width x width)`` plus a bias, as in the forward pass of a
    256-wide hidden layer at batch 64: the largest matmul of the tabular nets,
    so an upper bound on the rate their training can reach. ``torch.addmm``
    (the BLAS), or with ``onednn`` oneDNN's packed-weight linear (NaN without it).
    """
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(rows, width, generator=gen)
    w = torch.randn(width, width, generator=gen)
    bias = torch.randn(width, generator=gen)
    if onednn:
        if not onednn_linear_available():
            return math.nan
        layer = PackedLinear(w, bias, slope=None, rows=rows)

        def call() -> None:
            for _ in range(calls):
                layer(x)

    else:
        out = torch.empty(rows, width)

        def call() -> None:
            for _ in range(calls):
                torch.addmm(bias, x, w, out=out)

    return 2.0 * rows * width * width * calls / _best_seconds(call, reps)


def _best_seconds(call, reps: int) -> float:
    """Shortest of ``reps`` timed calls, after one untimed warm-up call."""
    call()
    best = math.inf
    for _ in range(reps):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


@dataclass
class Rates:
    """The machine's float32 (and bfloat16) matmul rates in FLOP/s, measured in this run.

    ``peak``, the better of the BLAS and oneDNN, is the limit the achieved rates
    are a fraction of; ``small`` likewise at the tabular nets' layer shape.
    """

    blas: float
    onednn: float
    small_blas: float
    small_onednn: float
    bf16: float

    @classmethod
    def measure(cls, reps: int) -> Rates:
        return cls(
            blas=matmul_rate(reps=reps),
            onednn=onednn_matmul_rate(reps=reps),
            small_blas=small_matmul_rate(),
            small_onednn=small_matmul_rate(onednn=True),
            bf16=matmul_rate(reps=reps, dtype=torch.bfloat16),
        )

    def best_of(self, other: Rates) -> Rates:
        """Each rate the larger of two measurements (NaN only where both are)."""
        return Rates(
            **{
                name: np.fmax(getattr(self, name), getattr(other, name))
                for name in ("blas", "onednn", "small_blas", "small_onednn", "bf16")
            }
        )

    def summary(self) -> str:
        return ", ".join(f"{name} {_rate(value)}" for name, value in vars(self).items())

    @property
    def peak(self) -> float:
        return float(np.fmax(self.blas, self.onednn))

    @property
    def small(self) -> float:
        return float(np.fmax(self.small_blas, self.small_onednn))


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# --------------------------------------------------------------------------
# FLOP counting
# --------------------------------------------------------------------------


def _prod(values) -> int:
    return int(np.prod(values)) if len(values) else 1


def _conv_output_spatial(x, w, stride, padding, dilation) -> int:
    sizes = []
    for i, size in enumerate(x[2:]):
        k = w[2 + i]
        sizes.append((size + 2 * padding[i] - dilation[i] * (k - 1) - 1) // stride[i] + 1)
    return _prod(sizes)


def _analytic_flops(event) -> int:
    """FLOPs of the ops the profiler does not count: convolutions (oneDNN's and the
    native transposed one) and the in-place ``addmm_`` (0 for others)."""
    name = event.name
    if name == "aten::addmm_":  # (self [M, N], mat1 [M, K], mat2 [K, N], ...)
        try:
            (m, k), n = event.input_shapes[1], event.input_shapes[2][1]
            return 2 * m * k * n
        except (IndexError, TypeError, ValueError):
            return 0
    if name == "aten::slow_conv_transpose2d":  # the native kernel (skclustergan._conv_kernels)
        try:  # (input, weight, kernel_size, bias, stride, padding, output_padding, dilation)
            x, w = event.input_shapes[0], event.input_shapes[1]
            return 2 * x[0] * _prod(w) * _prod(x[2:])
        except (IndexError, TypeError):
            return 0
    if name not in ("aten::convolution", "aten::convolution_backward"):
        return 0
    try:
        shapes, args = event.input_shapes, event.concrete_inputs
        if name == "aten::convolution":
            # (input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
            x, w = shapes[0], shapes[1]
            stride, padding, dilation, transposed = args[3], args[4], args[5], args[6]
            if transposed:
                spatial = _prod(x[2:])
            else:
                spatial = _conv_output_spatial(x, w, stride, padding, dilation)
            return 2 * x[0] * _prod(w) * spatial
        # (grad_output, input, weight, bias_sizes, stride, padding, dilation, transposed,
        #  output_padding, groups, output_mask)
        grad_out, x, w = shapes[0], shapes[1], shapes[2]
        transposed, mask = args[7], args[10]
        spatial = _prod(x[2:]) if transposed else _prod(grad_out[2:])
        return 2 * x[0] * _prod(w) * spatial * (int(bool(mask[0])) + int(bool(mask[1])))
    except (AttributeError, IndexError, TypeError):
        return 0


def count_flops(fn) -> tuple[float, float]:
    """``(profiler FLOPs, FLOPs with uncounted convolutions added)`` of ``fn()``.

    The first is the sum of ``evt.flops`` over ``key_averages()``. The second
    walks the event tree and adds, for every op not inside an already counted
    op, the profiler's count or the analytic count of :func:`_analytic_flops`.
    """
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], with_flops=True, record_shapes=True) as prof:
        fn()
    profiler_total = float(sum(evt.flops or 0 for evt in prof.key_averages()))
    own: dict[int, int] = {}

    def flops_of(event) -> int:
        key = id(event)
        if key not in own:
            own[key] = int(event.flops or 0) or _analytic_flops(event)
        return own[key]

    total = 0
    for event in prof.events():
        value = flops_of(event)
        if not value:
            continue
        parent, nested = event.cpu_parent, False
        while parent is not None:
            if flops_of(parent):
                nested = True
                break
            parent = parent.cpu_parent
        if not nested:
            total += value
    return profiler_total, float(total)


# --------------------------------------------------------------------------
# 1 + 2: training loops, side by side, and their FLOPs
# --------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    architecture: str
    n_critic: int
    X: np.ndarray
    params: dict = field(default_factory=dict)


@dataclass
class TrainingResult:
    case: Case
    fast_s: float  # best seconds per iteration
    ref_s: float
    pair_ratios: list[float]  # reference time / fast time of each interleaved pair of blocks
    flops_profiler: float
    flops: float
    ref_flops: float
    fast_losses_finite: bool


def training_cases(n_conv_rows: int) -> list[Case]:
    X_digits, _ = load_digits_scaled()
    X_images = np.random.default_rng(0).random((n_conv_rows, 784), dtype=np.float32)
    default = ClusterGAN().n_critic
    compiled = {"compile": True}
    cases = [
        Case(f"tabular, n_critic={default} (default)", "mlp", default, X_digits),
        Case(f"tabular, n_critic={default}, compile=True", "mlp", default, X_digits, compiled),
        Case("tabular, n_critic=5", "mlp", 5, X_digits),
        Case("tabular, n_critic=5, compile=True", "mlp", 5, X_digits, compiled),
        Case(
            f"conv MNIST, n_critic={default} (default)",
            "conv",
            default,
            X_images,
            {"image_shape": (1, 28, 28)},
        ),
        Case(
            f"conv-small MNIST, n_critic={default}",
            "conv-small",
            default,
            X_images,
            {"image_shape": (1, 28, 28), "architecture": "conv-small"},
        ),
    ]
    if default == 5:
        del cases[2:4]
    bf16 = {"precision": "bf16-mixed"}
    cases += [
        Case(f"{c.label.split(',')[0]}, n_critic={default}, precision=bf16-mixed",
             c.architecture, c.n_critic, c.X, {**c.params, **bf16})
        for c in cases if c.architecture != "mlp"
    ]  # fmt: skip
    return cases


def synchronize(device: torch.device) -> None:
    """Wait for the device's queued work (a no-op on the CPU), before reading a clock."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _setup_fast(case: Case, seed: int, device: torch.device = CPU):
    model = ClusterGAN(
        n_clusters=10,
        n_critic=case.n_critic,
        max_iter=1,
        random_state=seed,
        device=device,
        **case.params,
    ).fit(case.X)
    data = TrainingData(case.X, model.scaling_, device)
    trainer = make_trainer(
        model.generator_,
        model.discriminator_,
        model.encoder_,
        model._training_config(),
        torch.Generator(device=device).manual_seed(reference_loop.estimator_seed(seed)),
        device,
        compile=model.compile,
    )
    return model, trainer, data


def _setup_reference(case: Case, model: ClusterGAN, seed: int, device: torch.device = CPU):
    nets = reference_loop.build_networks(
        case.architecture,
        case.X.shape[1],
        model.latent_dim,
        model.n_clusters,
        reference_loop.estimator_seed(seed),
        hidden_layer_sizes=model.hidden_layer_sizes,
        image_shape=case.params.get("image_shape"),
        output_activation="sigmoid",
    )
    config = model._training_config()  # the "auto" settings resolved
    reference = reference_loop.ReferenceClusterGAN(
        *nets,
        latent_dim=model.latent_dim,
        n_clusters=model.n_clusters,
        sigma=model.sigma,
        beta_n=model.beta_n,
        beta_c=model.beta_c,
        gp_weight=model.gp_weight,
        n_critic=case.n_critic,
        learning_rate=config.learning_rate,
        learning_rate_schedule=config.learning_rate_schedule,
        batch_size=model.batch_size,
        seed=seed,
        device=device,
        adam_betas=config.adam_betas,
        reuse_fakes=config.reuse_fakes,
    )
    x = model.scaling_.forward(case.X, torch.float32, CPU)  # host memory, as such code keeps it
    return reference, x


def run_training_case(
    case: Case, settings: Settings, seed: int = 0, device: torch.device = CPU
) -> TrainingResult:
    n_iter, warmup = {
        "mlp": (settings.tab_iters, settings.tab_warmup),
        "conv": (settings.conv_iters, settings.conv_warmup),
        "conv-small": (settings.small_conv_iters, 4 * settings.conv_warmup),
    }[case.architecture]
    model, trainer, data = _setup_fast(case, seed, device)
    reference, x = _setup_reference(case, model, seed, device)

    finite = True

    def fast(n: int) -> None:
        nonlocal finite
        history, _ = trainer.fit(data, n)
        finite = finite and bool(torch.isfinite(history).all())

    def ref(n: int) -> None:
        reference.fit(x, n)

    fast(warmup)
    ref(warmup)
    fast_times, ref_times = [], []
    for _ in range(settings.blocks):
        for fn, times in ((fast, fast_times), (ref, ref_times)):
            synchronize(device)
            start = time.perf_counter()
            fn(n_iter)
            synchronize(device)
            times.append((time.perf_counter() - start) / n_iter)

    out = torch.zeros(len(HISTORY_KEYS), device=device)
    flops_profiler, flops = count_flops(lambda: trainer.train_step(data, out))
    _, ref_flops = count_flops(lambda: reference.fit(x, 1))
    pairs = [ref / fast for fast, ref in zip(fast_times, ref_times)]
    return TrainingResult(
        case, min(fast_times), min(ref_times), pairs, flops_profiler, flops, ref_flops, finite
    )


# --------------------------------------------------------------------------
# 3: inference, one fresh process per measured call
# --------------------------------------------------------------------------


def _current_rss() -> int:
    if psutil is not None:
        return int(psutil.Process().memory_info().rss)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024


class _RssPoller(threading.Thread):
    """Samples the process RSS every ``interval`` seconds; ``peak`` is the largest."""

    def __init__(self, interval: float = 0.002) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = _current_rss()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, _current_rss())
            time.sleep(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        self.peak = max(self.peak, _current_rss())
        return self.peak


def _unused_head_flops(model: ClusterGAN, method: str) -> float:
    """FLOPs per row of the encoder's last layer that ``method`` does not need:
    ``predict`` computes only the cluster logits, ``transform`` only z_n."""
    last = model.encoder_.body[-1]
    unused = {"predict": model.encoder_.latent_dim, "transform": model.encoder_.n_clusters}
    return 2.0 * last.in_features * unused.get(method, 0)


def inference_worker(method: str, rows: int, threads: int, reps: int) -> dict:
    """Measure one inference call in this (fresh) process; returns a JSON-able dict."""
    torch.set_num_threads(threads)
    with threadpool_limits(limits=threads):
        X_digits, _ = load_digits_scaled()
        if method == "kmeans":
            from sklearn.cluster import KMeans

            model = None
        else:
            model = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cpu")
            model.fit(X_digits)
        X = np.random.default_rng(0).random((rows, INFERENCE_FEATURES), dtype=np.float32)
        if method == "kmeans":
            fitted = KMeans(n_clusters=10, random_state=0).fit(X[:10000])
            call = fitted.predict
        else:
            call = getattr(model, method)
        call(X[:20000])  # warm-up

        # 1. First full call: timed, and peak RSS above the RSS with X in memory.
        rss_before, peak_before = _current_rss(), _peak_rss()
        start = time.perf_counter()
        result = call(X)
        times = [time.perf_counter() - start]
        peak_after = _peak_rss()
        rusage_extra = peak_after - rss_before if peak_after > peak_before else 0
        out_shape = list(np.shape(result))
        del result
        # 2. More timed calls.
        for _ in range(reps - 1):
            start = time.perf_counter()
            call(X)
            times.append(time.perf_counter() - start)
        # 3. One instrumented call: RSS polling and tracemalloc.
        rss_before_poll = _current_rss()
        poller = _RssPoller()
        poller.start()
        tracemalloc.start()
        call(X)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        polled_extra = poller.stop() - rss_before_poll

        flops_per_row = float("nan")
        if model is not None:
            chunk = torch.as_tensor(X[:8192])
            encoder = model.encoder_.eval()

            def encode() -> None:
                with torch.inference_mode():
                    encoder(chunk)

            flops_per_row = count_flops(encode)[1] / len(chunk) - _unused_head_flops(model, method)
    return {
        "method": method,
        "rows": rows,
        "x_bytes": int(X.nbytes),
        "best_s": min(times),
        "times_s": times,
        "peak_extra_bytes": int(max(rusage_extra, polled_extra)),
        "rusage_extra_bytes": int(rusage_extra),
        "polled_extra_bytes": int(polled_extra),
        "rusage_peak_before_exceeded_rss": bool(peak_before > rss_before),
        "tracemalloc_peak_bytes": int(traced_peak),
        "flops_per_row": flops_per_row,
        "output_shape": out_shape,
    }


def run_inference(method: str, settings: Settings, threads: int) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        method,
        "--rows",
        str(settings.rows),
        "--threads",
        str(threads),
        "--reps",
        str(settings.inference_reps),
    ]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"inference worker {method!r} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_inference_rounds(settings: Settings, threads: int) -> list[dict]:
    """Each method in ``inference_rounds`` fresh processes, the methods interleaved.

    This VM runs the same code up to 1.5x faster or slower for minutes at a time;
    interleaving gives every method the same chances. Per method: the best time of
    all rounds, and the largest peak memory.
    """
    methods = ("predict", "transform", "kmeans")
    runs: dict[str, list[dict]] = {m: [] for m in methods}
    for round_ in range(settings.inference_rounds):
        for method in methods:
            log(f"inference: {method} on {settings.rows:,} rows, round {round_ + 1}")
            runs[method].append(run_inference(method, settings, threads))
            log(f"  {runs[method][-1]['rows'] / runs[method][-1]['best_s']:,.0f} rows/s")
    return [merge_inference_rounds(runs[m]) for m in methods]


def merge_inference_rounds(rounds: list[dict]) -> dict:
    """One record from several rounds: best time, worst memory, every time kept."""
    best = min(rounds, key=lambda r: r["best_s"])
    merged = dict(best)
    merged["times_s"] = [t for r in rounds for t in r["times_s"]]
    merged["rounds"] = len(rounds)
    for key in ("peak_extra_bytes", "rusage_extra_bytes", "polled_extra_bytes",
                "tracemalloc_peak_bytes"):  # fmt: skip
        merged[key] = max(r[key] for r in rounds)
    return merged


# --------------------------------------------------------------------------
# 4: time to quality
# --------------------------------------------------------------------------


def time_to_quality(seed: int, settings: Settings, device: torch.device = CPU) -> dict:
    """Fresh fits of doubling ``max_iter`` until one reaches the target accuracy.

    With ``learning_rate_schedule="linear"`` a fit of N iterations is not a
    shorter fit continued, and warm-started chunks reseed the minibatch stream:
    every budget is its own fit, and
    the time reported is that of the first fit that reaches the target (what a
    user who sets ``max_iter`` waits), not the sum of the attempts.
    """
    X, y = load_digits_scaled()
    n_iter, best, result = settings.quality_first_iter, 0.0, None
    while True:
        model = ClusterGAN(n_clusters=10, random_state=seed, max_iter=n_iter, device=device)
        start = time.perf_counter()
        model.fit(X)  # ends by reading the labels back to the host: no sync needed
        elapsed = time.perf_counter() - start
        accuracy = cluster_accuracy(y, model.labels_)
        best = max(best, accuracy)
        result = {
            "seed": seed,
            "reached": accuracy >= TARGET_ACCURACY,
            "time_s": elapsed,
            "n_iter": n_iter,
            "accuracy": accuracy,
            "best": best,
        }
        if result["reached"] or 2 * elapsed > settings.quality_cap_s:
            return result
        n_iter *= 2


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def _mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.1f} MB"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _rate(value: float) -> str:
    return "not available" if math.isnan(value) else f"{value / 1e9:.1f} GFLOP/s"


def _gflops(value: float) -> str:
    return f"{value / 1e9:.3g}"


def render(args, settings: Settings, rates: Rates, training, inference, quality) -> str:
    command = "python benchmarks/speed.py " + " ".join(shlex.quote(a) for a in args.argv)
    peak, small = rates.peak, rates.small
    lines = [
        "# Speed: training and inference, side by side",
        "",
        f"Command: `{command.strip()}`"
        + (" (**quick**: timings are indicative only)" if args.quick else ""),
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} logical CPUs; {platform.platform()}",
        f"- Threads: {args.threads} (torch.set_num_threads, threadpoolctl); torch "
        f"{torch.__version__}, numpy {np.__version__}, scikit-learn {sklearn.__version__}",
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Float32 matmul rate (2048 x 2048 @ 2048 x 2048, best of {settings.matmul_reps}): "
        f"`torch.mm` (the BLAS) {rates.blas / 1e9:.1f} GFLOP/s, oneDNN "
        f"{_rate(rates.onednn)}; the machine's limit, the better of the two: "
        f"**{peak / 1e9:.1f} GFLOP/s**. Every fraction below is of this limit",
        "- Float32 at the tabular nets' largest layer shape (64 x 256 @ 256 x 256 + bias, "
        f"best of 5 blocks of 500 calls): `addmm` {rates.small_blas / 1e9:.1f}, oneDNN "
        f"{_rate(rates.small_onednn)}: {small / 1e9:.1f} GFLOP/s "
        f"({100 * small / peak:.0f}% of the large matmul), a ceiling for the tabular nets' "
        "training at batch 64, whose every matmul is this size or smaller",
        f"- Bfloat16 matmul rate (same shape; AMX where the CPU has it): "
        f"{rates.bf16 / 1e9:.1f} GFLOP/s, the ceiling of `precision=bf16-mixed`",
        "",
    ]
    if training:
        lines += [
            "## Training speed",
            "",
            "One iteration = `n_critic` WGAN-GP critic steps + one G+E step, batch 64. "
            "Fast: the training loop of `ClusterGAN(n_clusters=10, n_critic=...).fit` "
            "(`Trainer.fit`, "
            f"blocks of {settings.tab_iters} (tabular) / {settings.conv_iters} (conv) / "
            f"{settings.small_conv_iters} (conv-small) "
            "iterations). Reference: `benchmarks/reference_loop.py` "
            "(`ReferenceClusterGAN.fit`: DataLoader, three critic passes, "
            "`torch.autograd.grad`, default Adam, `.item()` per step), same blocks, "
            f"interleaved; best of {settings.blocks} blocks each. The speed of this VM "
            "drifts for minutes at a time, so the two best blocks may come from different "
            "phases; each fast block and the reference block right after it share one, and "
            "the median of those pair ratios is the second figure. Met: both at target.",
            "",
            "| nets | ClusterGAN.fit it/s | reference it/s | ratio of best blocks "
            "| median ratio of block pairs (min-max) | target | met |",
            "|---|---:|---:|---:|---:|---:|:---:|",
        ]
        for r in training:
            ratio = r.ref_s / r.fast_s
            paired = statistics.median(r.pair_ratios)
            target = TARGET_RATIO[r.case.architecture]
            lines.append(
                f"| {r.case.label} | {1 / r.fast_s:.2f} | {1 / r.ref_s:.2f} | "
                f"{ratio:.2f}x | {paired:.2f}x ({min(r.pair_ratios):.2f}-"
                f"{max(r.pair_ratios):.2f}) | >= {target:g}x | "
                f"{_yes(min(ratio, paired) >= target)} |"
            )
        lines += [
            "",
            "## FLOPs of one training iteration",
            "",
            "Counted with `torch.profiler` (`with_flops=True`) on one iteration of each "
            "loop. *profiler*: its own sum of `evt.flops` over `key_averages()`; the other "
            "counts add the convolution FLOPs it leaves out (`convolution_backward`, "
            "transposed convolutions, the gradient penalty's double backward) from their "
            "recorded shapes. *Useful* is the smaller of the two loops' counts, the "
            "arithmetic the algorithm needs; the rate is useful FLOPs / ClusterGAN.fit's "
            "time per iteration, so work that one loop does in excess is not credited.",
            "",
            "| nets | ClusterGAN.fit GFLOP/iter (profiler) | ClusterGAN.fit GFLOP/iter "
            "| reference GFLOP/iter | useful GFLOP/iter | ms/iter | useful GFLOP/s "
            "| of matmul rate | target | met |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for r in training:
            useful = min(r.flops, r.ref_flops)
            rate = useful / r.fast_s
            fraction = rate / peak
            target = TARGET_FLOP_FRACTION[r.case.architecture]
            lines.append(
                f"| {r.case.label} | {_gflops(r.flops_profiler)} | {_gflops(r.flops)} | "
                f"{_gflops(r.ref_flops)} | {_gflops(useful)} | {1e3 * r.fast_s:.2f} | "
                f"{rate / 1e9:.1f} | {100 * fraction:.0f}% | >= {100 * target:.0f}% | "
                f"{_yes(fraction >= target)} |"
            )
        mixed = [r for r in training if r.case.params.get("precision") == "bf16-mixed"]
        if mixed and rates.bf16:
            lines += [
                "",
                "`precision=bf16-mixed` rows: the same FLOPs computed partly in bfloat16 "
                "against the float32 reference loop, so their ratio and their fraction of the "
                "float32 matmul rate compare training speeds, not the same arithmetic; of the "
                "bfloat16 matmul rate they reach "
                + ", ".join(
                    f"{100 * min(r.flops, r.ref_flops) / r.fast_s / rates.bf16:.0f}% "
                    f"({r.case.label.split(',')[0]})"
                    for r in mixed
                )
                + ".",
            ]
        excess = [r for r in training if r.flops > 1.01 * r.ref_flops]
        if excess:
            worst = max(r.flops / r.ref_flops - 1 for r in excess)
            lines += [
                "",
                f"ClusterGAN.fit executes up to {100 * worst:.0f}% more FLOPs than the "
                "reference for the same results: its single critic pass scores "
                "`cat([real, fake, interp])`, so the gradient penalty's `autograd.grad` "
                "(and its double backward) runs back through all 3 x batch rows instead "
                "of the batch of interpolates.",
            ]
        if not all(r.fast_losses_finite for r in training):
            lines += ["", "Warning: some fast-path losses were not finite."]
        lines.append("")
    if inference:
        rows = inference[0]["rows"]
        x_bytes = inference[0]["x_bytes"]
        lines += [
            "## Inference",
            "",
            f"{rows:,} x {INFERENCE_FEATURES} float32 rows (X is {_mb(x_bytes)}), tabular "
            "model (hidden (256, 256)) fitted with `max_iter=1` on digits; "
            f"{settings.inference_reps} calls in each fresh process, "
            f"{settings.inference_rounds} processes per command, the commands interleaved; "
            "the best call of all and the largest peak of all. Peak memory above X: "
            "process RSS (max of `getrusage` peak and a 2 ms polling thread) minus the "
            "RSS before the call; tracemalloc: peak of Python/numpy allocations during the "
            "call. Encoder FLOPs counted with the profiler on an 8,192-row chunk, less the "
            "outputs of its last layer that the command does not compute (`predict`: "
            "only the cluster logits, `transform`: only z_n).",
            "",
            "| command | rows/s | peak memory above X | tracemalloc peak | GFLOP/s "
            "| of matmul rate |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        names = {
            "predict": "`model.predict(X)`",
            "transform": "`model.transform(X)`",
            "kmeans": "`KMeans(n_clusters=10).fit(X[:10000]).predict(X)` (predict timed)",
        }
        for r in inference:
            rate = r["flops_per_row"] * r["rows"] / r["best_s"]
            has_flops = math.isfinite(rate)
            lines.append(
                f"| {names[r['method']]} | {r['rows'] / r['best_s']:,.0f} | "
                f"{_mb(r['peak_extra_bytes'])} | {_mb(r['tracemalloc_peak_bytes'])} | "
                f"{f'{rate / 1e9:.1f}' if has_flops else '-'} | "
                f"{f'{100 * rate / peak:.0f}%' if has_flops else '-'} |"
            )
        lines.append("")
    if quality:
        cap = settings.quality_cap_s
        lines += [
            "## Time to quality",
            "",
            f"`ClusterGAN(n_clusters=10, random_state=seed, max_iter=N).fit` on sklearn "
            f"digits (1,797 x 64), N = {settings.quality_first_iter:,}, then doubled, "
            f"each a fresh fit (a learning-rate schedule spans one fit), until the argmax "
            f"read-out reaches {TARGET_ACCURACY} accuracy (`cluster_accuracy`); the time "
            f"is that of the fit that reached it, the last fit the one whose double would "
            f"exceed {cap:g} s.",
            "",
            "| seed | fit time (s) | max_iter | accuracy | reached |",
            "|---:|---:|---:|---:|:---:|",
        ]
        for q in quality:
            reached = "yes" if q["reached"] else f"not reached (best acc {q['best']:.3f})"
            lines.append(
                f"| {q['seed']} | {q['time_s']:.1f} | {q['n_iter']} | {q['accuracy']:.3f} | "
                f"{reached} |"
            )
        mean = float(np.mean([q["time_s"] for q in quality]))
        all_reached = all(q["reached"] for q in quality)
        n_reached = sum(q["reached"] for q in quality)
        lines.append(
            f"| mean | {'' if all_reached else '>= '}{mean:.1f} | "
            f"{np.mean([q['n_iter'] for q in quality]):.0f} | "
            f"{np.mean([q['accuracy'] for q in quality]):.3f} | "
            f"{n_reached}/{len(quality)} reached |"
        )
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

SECTIONS = ("training", "inference", "quality")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    parser.add_argument("--quick", action="store_true", help="tiny repetition counts")
    parser.add_argument(
        "--out", type=Path, default=HERE / "results" / "speed.md", help="Markdown report"
    )
    parser.add_argument(
        "--sections",
        nargs="+",
        choices=SECTIONS,
        default=list(SECTIONS),
        help="what to measure (default: all)",
    )
    parser.add_argument(
        "--nets",
        nargs="+",
        choices=("mlp", "conv", "conv-small"),
        default=["mlp", "conv", "conv-small"],
        help="training section: which networks (default: all)",
    )
    parser.add_argument(
        "--worker", choices=("predict", "transform", "kmeans"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--quality-cap", type=cli_types.positive_float, default=None,
        help="time-to-quality: longest fit in seconds (default 180)",
    )
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reps", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(inference_worker(args.worker, args.rows, args.threads, args.reps)))
        return 0
    settings = QUICK if args.quick else FULL
    if args.quality_cap is not None:
        settings = dataclasses.replace(settings, quality_cap_s=args.quality_cap)
    torch.set_num_threads(args.threads)
    training, inference, quality = [], [], []
    with threadpool_limits(limits=args.threads):
        log(f"matmul rates at {args.threads} threads")
        rates = Rates.measure(settings.matmul_reps)
        log(f"  {rates.summary()}")
        if "training" in args.sections:
            for case in training_cases(settings.conv_rows):
                if case.architecture not in args.nets:
                    continue
                log(f"training: {case.label}")
                result = run_training_case(case, settings)
                log(
                    f"  fast {1 / result.fast_s:.2f} it/s, reference {1 / result.ref_s:.2f} "
                    f"it/s, pair ratios {[round(x, 2) for x in result.pair_ratios]}, "
                    f"{result.flops / 1e9:.3g} GFLOP/iter"
                )
                training.append(result)
        if "inference" in args.sections:
            inference = run_inference_rounds(settings, args.threads)
        if "quality" in args.sections:
            # one untimed short fit first: one-time costs are not the figure
            ClusterGAN(n_clusters=10, max_iter=5, device="cpu").fit(load_digits_scaled()[0])
            for seed in settings.quality_seeds:
                log(f"time to quality: seed {seed}")
                quality.append(time_to_quality(seed, settings))
                log(f"  {quality[-1]}")
        # The matmul rates once more at the end; the better of the two counts.
        rates = rates.best_of(Rates.measure(settings.matmul_reps))
    report = render(args, settings, rates, training, inference, quality)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
