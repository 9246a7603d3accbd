#!/usr/bin/env python
"""Reproduce the ClusterGAN paper's clustering table with skclustergan.

Runs ClusterGAN (two read-outs) and scikit-learn baselines on the paper's data
sets over several seeds, and writes to ``--out``:

* ``results.csv``  -- one row per (data set, method, seed);
* ``summary.csv`` and ``summary.md`` -- mean and std over seeds, beside the
  paper's figures and the project's targets (pass/fail for ClusterGAN rows);
* ``<data set>_samples.png``, ``<data set>_latent.png``,
  ``<data set>_history.png`` -- generated samples per cluster, a 2-D view of the
  latent space and the training curves of the first seed's ClusterGAN.

Example (from the repository root)::

    python benchmarks/run_benchmarks.py --data-dir ../shared/data \\
        --datasets digits pendigits --seeds 0 1 2 --out benchmarks/results

See ``benchmarks/README.md`` for what is measured and how.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import math
import os
import platform
import shlex
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import torch
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

import skclustergan
from skclustergan import ClusterGAN
from skclustergan.datasets import DATASET_NAMES, load_dataset, make_linear_mixture
from skclustergan.metrics import clustering_report

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from cli_types import MAX_SEED  # noqa: E402

try:  # optional: peak-memory measurement (``pip install skclustergan[benchmarks]``)
    import psutil
except ImportError:  # pragma: no cover - psutil is in the benchmarks extra
    psutil = None

# --------------------------------------------------------------------------
# Per data-set settings
# --------------------------------------------------------------------------

_MIXTURE_DEFAULTS = inspect.signature(make_linear_mixture).parameters


@dataclass(frozen=True)
class DatasetSpec:
    """ClusterGAN settings of one data set; only what the paper itself sets.

    ``latent_dim`` / ``beta_n`` / ``image_shape`` are ClusterGAN parameters
    (``None``: the estimator's default); ``plot_kind`` (``"image"`` of
    ``plot_shape``, ``"pen"`` trajectories or ``"lines"``) only says how to draw
    generated samples.
    """

    n_clusters: int
    latent_dim: int
    beta_n: float | None = None
    image_shape: tuple[int, int, int] | None = None
    plot_kind: str = "lines"
    plot_shape: tuple[int, int] | None = None
    needs_data_dir: bool = False


DATASETS: dict[str, DatasetSpec] = {
    # make_linear_mixture's own defaults: K and dim(z_n) of the generating code.
    "synthetic": DatasetSpec(
        n_clusters=_MIXTURE_DEFAULTS["n_clusters"].default,
        latent_dim=_MIXTURE_DEFAULTS["latent_dim"].default,
    ),
    # Not in the paper: 64 features, 10 chosen as for MNIST's 30 of 784 (see README).
    "digits": DatasetSpec(10, latent_dim=10, plot_kind="image", plot_shape=(8, 8)),
    "pendigits": DatasetSpec(10, latent_dim=5, plot_kind="pen", needs_data_dir=True),
    "mnist": DatasetSpec(
        10, latent_dim=30, image_shape=(1, 28, 28), plot_kind="image", plot_shape=(28, 28),
        needs_data_dir=True,
    ),
    "fashion-mnist": DatasetSpec(
        10,
        latent_dim=40,
        beta_n=0.0,
        image_shape=(1, 28, 28),
        plot_kind="image",
        plot_shape=(28, 28),
        needs_data_dir=True,
    ),
}

#: Default iteration budget (ClusterGAN ``max_iter``) per data set; ``--max-iter``
#: overrides it. ``None`` means the estimator's own default.
DEFAULT_MAX_ITER: dict[str, int | None] = {
    # sized to the CPU budget per fit (1, 2, 5, 60, 60 minutes) with the
    # default n_critic=1, one thread per fit and two fits side by side on 2 cores:
    # synthetic 6,000 iterations took 35-41 s, digits 20,000 96-118 s, Pendigits
    # 30,000 143-161 s; the conv budgets are estimated from 3,600 iterations with
    # n_critic=2 in 55 min (an iteration with one critic step costs about 2/3).
    # MNIST / Fashion-MNIST: the ``conv-small`` nets (the image default of
    # ``--architecture auto``) with 45,000 iterations took 2,249-2,433 s alone on both
    # threads (seventeenth session); MNIST with 60,000 2,824 s (nineteenth session:
    # seeds 0-2 0.955 / 0.930 / 0.930 against 0.956 / 0.788 / 0.930 at 45,000;
    # benchmarks/README.md). Fashion-MNIST stays at 45,000: at 60,000 (twentieth
    # session) seeds 0 / 1 gave 0.593 / 0.558 against 0.621 / 0.577 at 45,000.
    # MNIST 56,000 since the forty-ninth session: on the AMD EPYC that replaced the Xeon,
    # with reuse_fakes="auto", 60,000 took 3,615-3,796 s (over the hour); 56,000 took
    # 3,393-3,406 s for seeds 0 / 1 (accuracy 0.954 / 0.821 against 0.954 / 0.888 at
    # 60,000; seed 2 not yet run). On the Intel Xeon (fiftieth session) 56,000 took
    # 2,805-2,917 s, seeds 0 / 1 / 2 0.913 / 0.715 / 0.837 (mean 0.822).
    "synthetic": 8000,
    "digits": 20000,
    "pendigits": 50000,
    "mnist": 56000,
    "fashion-mnist": 45000,
}

#: ``--architecture auto`` on the image data sets: the nets the CPU budgets were measured
#: with (half the paper's channels, a quarter of its fully connected width)
IMAGE_ARCHITECTURE = "conv-small"

#: Paper, best validated run (ACC, NMI, ARI); the paper's ACC is the purity.
PAPER_BEST: dict[str, tuple[float | None, float | None, float | None]] = {
    "synthetic": (0.99, None, None),
    "pendigits": (0.77, 0.73, 0.65),
    "mnist": (0.95, 0.89, 0.89),
    "fashion-mnist": (0.63, 0.64, 0.50),
}

#: Official code's README, mean of 10 runs (ACC, NMI, ARI).
OFFICIAL_MEAN: dict[str, tuple[float, float, float]] = {
    "pendigits": (0.764, 0.734, 0.634),
    "mnist": (0.910, 0.854, 0.829),
    "fashion-mnist": (0.612, 0.616, 0.462),
}

#: Project targets on the (Hungarian) accuracy of ClusterGAN.
TARGET_ACC: dict[str, float] = {
    "synthetic": 0.99,
    "digits": 0.90,
    "pendigits": 0.82,
    "mnist": 0.90,
    "fashion-mnist": 0.62,
}

# --------------------------------------------------------------------------
# Methods
# --------------------------------------------------------------------------

CLUSTERGAN_METHODS = (
    "clustergan", "clustergan-paper", "clustergan-nearest", "clustergan-propagate",
    "clustergan-backprop",
)
BASELINE_METHODS = ("kmeans", "gmm", "agglomerative", "spectral")
METHODS = CLUSTERGAN_METHODS + BASELINE_METHODS
#: What runs without --methods: all but the slow back-propagation decoding (digits:
#: about a minute per fit on one thread, Pendigits six).
DEFAULT_METHODS = tuple(m for m in METHODS if m != "clustergan-backprop")
METHOD_LABELS = {
    "clustergan": "ClusterGAN (argmax E_c)",
    "clustergan-paper": "ClusterGAN (paper: KMeans on E(x))",
    "clustergan-nearest": "ClusterGAN (nearest generated samples)",
    "clustergan-propagate": "ClusterGAN (E's confident half, propagated)",
    "clustergan-backprop": "ClusterGAN (paper's back-propagation decoding)",
    "kmeans": "KMeans",
    "gmm": "GaussianMixture",
    "agglomerative": "Agglomerative (ward)",
    "spectral": "Spectral (kNN graph)",
}
#: Largest number of samples a method is run on: ward's memory and time grow
#: quadratically; spectral's kNN graph is sparse (Pendigits, 10,992 rows: 2 s), but
#: the neighbour search over 70,000 images of 784 pixels is not worth its minutes.
MAX_SAMPLES = {"agglomerative": 20_000, "spectral": 20_000, "clustergan-backprop": 20_000}
#: Methods whose result does not depend on the seed: run for the first seed only.
DETERMINISTIC = {"agglomerative"}
METRICS = ("accuracy", "purity", "nmi", "ari", "fit_time_s", "peak_rss_mib")


def make_baseline(method: str, n_clusters: int, n_features: int, seed: int):
    """The scikit-learn estimator of a baseline method."""
    if method == "kmeans":
        return KMeans(n_clusters, n_init=10, random_state=seed)
    if method == "gmm":
        covariance = "diag" if n_features > 100 else "full"
        return GaussianMixture(n_clusters, covariance_type=covariance, random_state=seed)
    if method == "agglomerative":
        return AgglomerativeClustering(n_clusters, linkage="ward")
    if method == "spectral":
        return SpectralClustering(n_clusters, affinity="nearest_neighbors", random_state=seed)
    raise ValueError(f"Unknown baseline {method!r}.")


def parse_params(text: str) -> dict:
    """The ``--params`` option: more ClusterGAN parameters, as a JSON object.

    Raises ValueError naming the option and what it got, for text that is not
    a JSON object, for names ClusterGAN does not have, and for ``random_state``
    (the seeds come from ``--seeds`` / ``--seed``).
    """
    try:
        params, problem = json.loads(text), ""
    except json.JSONDecodeError as exc:
        params, problem = None, f": {exc}"
    if not isinstance(params, dict):
        raise ValueError(f"--params must be a JSON object of ClusterGAN parameters, "
                         f"got {text!r}{problem}")
    unknown = sorted(set(params) - set(ClusterGAN().get_params()))
    if unknown:
        raise ValueError(f"--params: ClusterGAN has no parameter {', '.join(map(repr, unknown))}")
    if "random_state" in params:
        raise ValueError("--params must not set random_state: the seeds set it")
    return params


def clustergan_params(name: str, args: argparse.Namespace, seed: int) -> dict:
    """ClusterGAN parameters for a data set: the paper's where it sets them."""
    spec = DATASETS[name]
    params: dict = {
        "n_clusters": spec.n_clusters,
        "latent_dim": spec.latent_dim,
        "random_state": seed,
        "verbose": args.verbose,
    }
    if spec.beta_n is not None:
        params["beta_n"] = spec.beta_n
    if args.architecture == "mlp":
        params["architecture"] = "mlp"
    elif spec.image_shape is not None:
        params["image_shape"] = spec.image_shape
        auto = args.architecture == "auto"
        params["architecture"] = IMAGE_ARCHITECTURE if auto else args.architecture
    max_iter = args.max_iter if args.max_iter is not None else DEFAULT_MAX_ITER[name]
    if max_iter is not None:
        params["max_iter"] = max_iter
    if args.device is not None:
        params["device"] = args.device
    if args.compile:
        params["compile"] = True
    if getattr(args, "precision", None) is not None:
        params["precision"] = args.precision
    if getattr(args, "learning_rate_schedule", None) is not None:
        params["learning_rate_schedule"] = args.learning_rate_schedule
    if getattr(args, "n_critic", None) is not None:
        params["n_critic"] = args.n_critic
    params.update(getattr(args, "extra", None) or {})
    return params


def paper_readout(model: ClusterGAN, X: np.ndarray) -> np.ndarray:
    """The official code's read-out: KMeans on [E_n(x), softmax E_c(x)].

    On the softmax part alone when ``beta_n == 0`` (E_n is then untrained).
    """
    proba = model.predict_proba(X)
    features = proba if model.beta_n == 0 else np.hstack([model.transform(X), proba])
    kmeans = KMeans(model.n_clusters, random_state=0, n_init=10)
    return kmeans.fit_predict(features)


def backprop_readout(model: ClusterGAN, X: np.ndarray, seed: int) -> np.ndarray:
    """The paper's back-propagation decoding baseline: the cluster of the best of one
    restart per cluster (``ClusterGAN.decode`` with its defaults, started from E(x))."""
    return model.decode(X, random_state=seed)[1]


# --------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------


class PeakMemory:
    """Sample the resident set size (RSS) of this process and its child processes
    (the joblib workers of ``n_jobs``) in a thread while active.

    ``peak_mib`` is the largest total RSS seen (MiB), ``increase_mib`` the peak
    minus the RSS on entry. On CUDA, ``gpu_peak_mib`` is torch's peak allocated
    memory. Both are NaN when unavailable (no psutil / no CUDA). The children
    are listed every ``children_every`` samples (listing them costs more).
    """

    children_every = 20

    def __init__(self, interval: float = 0.01, cuda: bool = False) -> None:
        self.interval = interval
        self.cuda = cuda and torch.cuda.is_available()
        self.peak_mib = self.increase_mib = self.gpu_peak_mib = math.nan
        self.baseline_mib = math.nan
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._process = psutil.Process() if psutil is not None else None

    def _rss(self) -> float:
        return self._process.memory_info().rss / 2**20

    def _children_rss(self) -> float:
        total = 0
        for child in self._process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:  # the worker ended meanwhile
                pass
        return total / 2**20

    def _sample(self) -> None:
        children, count = self._children_rss(), 0
        while not self._stop.wait(self.interval):
            count += 1
            if count % self.children_every == 0:
                children = self._children_rss()
            self.peak_mib = max(self.peak_mib, self._rss() + children)

    def __enter__(self) -> PeakMemory:
        if self.cuda:
            torch.cuda.reset_peak_memory_stats()
        if self._process is not None:
            self.baseline_mib = self.peak_mib = self._rss() + self._children_rss()
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self.peak_mib = max(self.peak_mib, self._rss() + self._children_rss())
            self.increase_mib = self.peak_mib - self.baseline_mib
        if self.cuda:
            self.gpu_peak_mib = torch.cuda.max_memory_allocated() / 2**20


@dataclass
class Measured:
    """Labels of one run with its wall time (s) and memory (MiB)."""

    labels: np.ndarray
    seconds: float
    peak_rss_mib: float = math.nan
    rss_increase_mib: float = math.nan
    gpu_peak_mib: float = math.nan
    extra: dict = field(default_factory=dict)


def measure(func: Callable[[], object], cuda: bool = False) -> tuple[object, float, PeakMemory]:
    """Call ``func()``; return its result, its wall time and its memory record."""
    with PeakMemory(cuda=cuda) as memory:
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    return result, seconds, memory


def run_baseline(method: str, X: np.ndarray, n_clusters: int, seed: int) -> Measured:
    """Fit one baseline on X and time it."""
    estimator = make_baseline(method, n_clusters, X.shape[1], seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels, seconds, mem = measure(lambda: estimator.fit_predict(X))
    return Measured(np.asarray(labels), seconds, mem.peak_mib, mem.increase_mib)


def run_clustergan(
    name: str, X: np.ndarray, seed: int, args: argparse.Namespace, methods: Sequence[str]
) -> tuple[ClusterGAN, dict[str, Measured]]:
    """Fit ClusterGAN once; return the model and the requested read-outs.

    The time and memory of the paper's read-outs include the fit.
    """
    model = ClusterGAN(**clustergan_params(name, args, seed))
    on_cuda = args.device is None or str(args.device).startswith(("cuda", "auto"))
    _, fit_s, fit_mem = measure(lambda: model.fit(X), cuda=on_cuda)
    runs: dict[str, Measured] = {}
    extra = {"max_iter": model.max_iter, "n_iter": model.n_iter_}
    if "clustergan" in methods:
        runs["clustergan"] = Measured(
            model.labels_, fit_s, fit_mem.peak_mib, fit_mem.increase_mib,
            fit_mem.gpu_peak_mib, extra,
        )
    readouts = {
        "clustergan-paper": lambda: paper_readout(model, X),
        "clustergan-nearest": lambda: model.predict(X, method="nearest"),
        "clustergan-propagate": lambda: model.predict(X, method="propagate"),
        "clustergan-backprop": lambda: backprop_readout(model, X, seed),
    }
    for method in (m for m in readouts if m in methods):
        labels, read_s, read_mem = measure(readouts[method])
        peak = max(fit_mem.peak_mib, read_mem.peak_mib)
        runs[method] = Measured(
            np.asarray(labels), fit_s + read_s, peak, peak - fit_mem.baseline_mib,
            fit_mem.gpu_peak_mib, extra,
        )
    return model, runs


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------


class DataSetError(Exception):
    """A data set's files are missing or fail their checks: reported in one line."""


def load(name: str, args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray]:
    """Load a data set, subsampled with the fixed data seed (same rows for all seeds).

    Raises DataSetError (with the loader's message) for a missing or corrupt file.
    """
    try:
        return load_dataset(
            name, args.data_dir, subsample=args.subsample, random_state=args.data_seed
        )
    except (FileNotFoundError, ValueError) as exc:
        raise DataSetError(f"{name}: {exc}") from exc


def skip_reason(method: str, n_samples: int, seed: int, seeds: Sequence[int]) -> str | None:
    """Why a method is not run on this data set / seed, or None."""
    limit = MAX_SAMPLES.get(method)
    if limit is not None and n_samples > limit:
        return f"n_samples={n_samples} > {limit}"
    if method in DETERMINISTIC and seed != seeds[0]:
        return "deterministic, run for the first seed only"
    return None


def result_row(name: str, method: str, seed: int, X: np.ndarray, y, run: Measured) -> dict:
    """One line of results.csv."""
    row = {"dataset": name, "method": method, "seed": seed,
           "n_samples": X.shape[0], "n_features": X.shape[1]}
    row.update(clustering_report(y, run.labels))
    row.update(
        fit_time_s=run.seconds,
        peak_rss_mib=run.peak_rss_mib,
        rss_increase_mib=run.rss_increase_mib,
        gpu_peak_mib=run.gpu_peak_mib,
        max_iter=run.extra.get("max_iter", np.nan),
        n_iter=run.extra.get("n_iter", np.nan),
        n_clusters_found=len(np.unique(run.labels)),
    )
    return row


def print_progress(row: dict) -> None:
    print(
        f"[{row['dataset']}] {row['method']:<19} seed={row['seed']}: "
        f"{row['fit_time_s']:8.1f} s  ACC {row['accuracy']:.3f}  NMI {row['nmi']:.3f}  "
        f"ARI {row['ari']:.3f}  peak RSS {row['peak_rss_mib']:.0f} MiB",
        flush=True,
    )


def save_model(model: ClusterGAN, name: str, seed: int, out: Path) -> Path:
    """Write a fitted model to ``out/models/<name>-seed<seed>.pt`` (replacing it)."""
    path = out / "models" / f"{name}-seed{seed}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path, overwrite=True)
    return path


def run_dataset(name: str, args: argparse.Namespace, methods: Sequence[str]) -> list[dict]:
    """All methods and seeds on one data set; also writes its figures."""
    X, y = load(name, args)
    print(f"== {name}: {X.shape[0]} samples x {X.shape[1]} features", flush=True)
    rows: list[dict] = []
    gan_methods = []
    for method in (m for m in methods if m in CLUSTERGAN_METHODS):
        reason = skip_reason(method, X.shape[0], args.seeds[0], args.seeds)
        if reason is None:
            gan_methods.append(method)
        else:
            print(f"[{name}] {method:<19} skipped ({reason})", flush=True)
    for seed in args.seeds:
        if gan_methods:
            model, runs = run_clustergan(name, X, seed, args, gan_methods)
            if args.save_models:
                save_model(model, name, seed, args.out)
            if seed == args.seeds[0] and not args.no_plots:
                plot_dataset(name, model, X, y, args.out, seed)
            for method, run in runs.items():
                rows.append(result_row(name, method, seed, X, y, run))
                print_progress(rows[-1])
        for method in (m for m in methods if m in BASELINE_METHODS):
            reason = skip_reason(method, X.shape[0], seed, args.seeds)
            if reason is not None:
                if seed == args.seeds[0] or method not in DETERMINISTIC:
                    print(f"[{name}] {method:<19} seed={seed}: skipped ({reason})", flush=True)
                continue
            run = run_baseline(method, X, DATASETS[name].n_clusters, seed)
            rows.append(result_row(name, method, seed, X, y, run))
            print_progress(rows[-1])
    return rows


# --------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------


def summarize(results: pd.DataFrame) -> pd.DataFrame:
    """Mean and std over seeds per (data set, method), with paper figures and targets."""
    grouped = results.groupby(["dataset", "method"], sort=False)
    summary = grouped[list(METRICS)].agg(["mean", "std"])
    summary.columns = [f"{metric}_{stat}" for metric, stat in summary.columns]
    summary.insert(0, "n_runs", grouped.size())
    summary = summary.reset_index()
    is_gan = summary["method"].isin(CLUSTERGAN_METHODS)
    for i, metric in enumerate(("acc", "nmi", "ari")):
        summary[f"paper_best_{metric}"] = [
            PAPER_BEST.get(d, (None,) * 3)[i] if g else None
            for d, g in zip(summary["dataset"], is_gan)
        ]
        summary[f"official_mean_{metric}"] = [
            OFFICIAL_MEAN.get(d, (None,) * 3)[i] if g else None
            for d, g in zip(summary["dataset"], is_gan)
        ]
    summary["target_acc"] = [TARGET_ACC.get(d) if g else None
                             for d, g in zip(summary["dataset"], is_gan)]
    summary["passed"] = pd.Series(
        [None if pd.isna(t) else bool(m >= t)
         for m, t in zip(summary["accuracy_mean"], summary["target_acc"])],
        index=summary.index, dtype=object,
    )
    return summary


def _mean_std(row: pd.Series, metric: str, digits: int = 3) -> str:
    mean, std = row[f"{metric}_mean"], row[f"{metric}_std"]
    if pd.isna(mean):
        return "n/a"
    if row["n_runs"] < 2 or pd.isna(std):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def _paper_cell(row: pd.Series, prefix: str, digits: int) -> str:
    values = [row[f"{prefix}_{m}"] for m in ("acc", "nmi", "ari")]
    if all(v is None or pd.isna(v) for v in values):
        return ""
    return "/".join("–" if v is None or pd.isna(v) else f"{v:.{digits}f}" for v in values)


def markdown_table(summary: pd.DataFrame) -> str:
    """The mean ± std table of summary.md (also printed to stdout)."""
    header = ["data set", "method", "runs", "ACC", "purity", "NMI", "ARI", "fit time (s)",
              "peak RSS (MiB)", "paper best ACC/NMI/ARI", "official mean ACC/NMI/ARI",
              "target ACC", "pass"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for _, row in summary.iterrows():
        target = row["target_acc"]
        passed = row["passed"]
        mark = "" if passed is None or pd.isna(passed) else ("✅ pass" if passed else "❌ fail")
        cells = [
            row["dataset"], METHOD_LABELS[row["method"]], str(int(row["n_runs"])),
            _mean_std(row, "accuracy"), _mean_std(row, "purity"), _mean_std(row, "nmi"),
            _mean_std(row, "ari"), _mean_std(row, "fit_time_s", 1),
            _mean_std(row, "peak_rss_mib", 0), _paper_cell(row, "paper_best", 2),
            _paper_cell(row, "official_mean", 3),
            "" if target is None or pd.isna(target) else f"≥ {target:.2f}", mark,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def environment_lines(args: argparse.Namespace, command: str) -> list[str]:
    """Header of summary.md: command, versions, threads, machine, elapsed time."""
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu") + " (auto)"
    return [
        f"- Command: `{command}` (in `{os.getcwd()}`)",
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Versions: skclustergan {skclustergan.__version__}, torch {torch.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs (os.cpu_count), "
        f"torch threads {torch.get_num_threads()}, ClusterGAN device {device}"
        + (f" ({torch.cuda.get_device_name()})" if torch.cuda.is_available() else ""),
        f"- Seeds: {' '.join(map(str, args.seeds))}; data seed {args.data_seed}; "
        f"subsample: {args.subsample or 'none (full data sets)'}",
        f"- Total wall time so far: {time.perf_counter() - args.started:.0f} s",
    ]


def settings_lines(names: Sequence[str], args: argparse.Namespace) -> list[str]:
    """One line per data set with its ClusterGAN settings."""
    defaults = ClusterGAN().get_params()
    keys = ("n_clusters", "latent_dim", "beta_n", "max_iter", "architecture", "image_shape",
            "learning_rate_schedule", "n_critic")
    lines = []
    for name in names:
        params = {**defaults, **clustergan_params(name, args, seed=0)}
        if params["architecture"] == "auto":
            params["architecture"] = "mlp" if params["image_shape"] is None else "conv"
        lines.append(f"- {name}: " + ", ".join(f"{k}={params[k]}" for k in keys))
    # options that apply to every data set (--compile, --precision, --device) included
    shared = {**defaults, **clustergan_params(names[0], args, seed=0)} if names else defaults
    extra = tuple(getattr(args, "extra", None) or ())
    common = {k: shared[k] for k in defaults
              if k not in (*keys, *extra, "random_state", "verbose", "warm_start")}
    lines.append("- all: " + ", ".join(f"{k}={v}" for k, v in common.items())
                 + "; random_state = the seed")
    if getattr(args, "extra", None):
        lines.append("- set by --params: " + ", ".join(f"{k}={v}" for k, v in args.extra.items()))
    return lines


NOTES = """\
Notes: ACC is the accuracy under the best one-to-one cluster-to-class matching (Hungarian);
the paper's "ACC" is the purity (official code), so compare the paper columns with our purity
as well. Targets and pass/fail apply to our Hungarian ACC (mean over seeds) and are only
meaningful for full-size runs with the default budgets. Fit time is wall-clock time of `fit`
(plus the KMeans read-out for the paper read-out). Peak RSS is the largest resident set size of
the whole benchmark process and its child processes (joblib workers of `n_jobs`) sampled every
10 ms during the fit (it includes the loaded data and
Python/torch; see results.csv for the increase over the RSS before the fit and, on CUDA, torch's
peak allocated GPU memory). Deterministic methods (ward) run once; spectral runs only for
n <= 5,000 and ward for n <= 20,000."""


def write_outputs(results: pd.DataFrame, args: argparse.Namespace, command: str) -> str:
    """Write results.csv, summary.csv and summary.md; return the markdown table."""
    out: Path = args.out
    results.to_csv(out / "results.csv", index=False)
    summary = summarize(results)
    summary.to_csv(out / "summary.csv", index=False)
    table = markdown_table(summary)
    names = list(dict.fromkeys(results["dataset"]))
    text = "\n".join(
        ["# ClusterGAN benchmarks", "", *environment_lines(args, command), "",
         "ClusterGAN settings (everything else: the estimator's defaults):",
         *settings_lines(names, args), "", table, "", NOTES, ""]
    )
    (out / "summary.md").write_text(text, encoding="utf-8")
    return table


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def generated_samples(model: ClusterGAN, n: int, seed: int) -> list[np.ndarray]:
    """n generated samples per cluster; the cluster prototypes if ``sample`` is absent."""
    sample = getattr(model, "sample", None)
    if sample is not None:
        try:
            return [np.asarray(sample(n, cluster=k, random_state=seed)[0])
                    for k in range(model.n_clusters)]
        except Exception as exc:  # noqa: BLE001 - a figure must not end a long run
            warnings.warn(f"ClusterGAN.sample failed ({exc!r}); plotting the prototypes.")
    return [model.cluster_centers_[k : k + 1] for k in range(model.n_clusters)]


def image_mosaic(samples: list[np.ndarray], shape: tuple[int, int], pad: int = 1) -> np.ndarray:
    """Rows of images (one row per cluster), separated by ``pad`` NaN pixels."""
    h, w = shape
    n_cols = max(len(s) for s in samples)
    mosaic = np.full((len(samples) * (h + pad), n_cols * (w + pad)), np.nan)
    for r, rows in enumerate(samples):
        for c, x in enumerate(rows):
            mosaic[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = (
                np.reshape(x, shape)
            )
    return mosaic


def _image_panel(fig, samples: list[np.ndarray], shape: tuple[int, int], X: np.ndarray) -> None:
    """One mosaic: a row of generated images per cluster."""
    ax = fig.subplots()
    ax.imshow(image_mosaic(samples, shape), cmap="gray_r",
              vmin=float(X.min()), vmax=float(X.max()))
    ax.set_yticks(np.arange(len(samples)) * (shape[0] + 1) + shape[0] / 2, range(len(samples)))
    ax.set_xticks([])
    ax.set_ylabel("cluster")


def _cluster_panels(fig, samples: list[np.ndarray], prototypes: np.ndarray, pen: bool) -> None:
    """One panel per cluster: samples (orange) over the prototype G(0, e_k) (black).

    ``pen``: rows are pen trajectories (x1, y1, ..., x8, y8) drawn in the plane.
    """
    k = len(samples)
    n_cols = min(5, k)
    axes = fig.subplots(math.ceil(k / n_cols), n_cols, sharex=True, sharey=True, squeeze=False)
    for j, ax in enumerate(axes.flat):
        if j >= k:
            ax.axis("off")
            continue
        for rows, style in ((samples[j], dict(color="tab:orange", alpha=0.4, lw=0.7)),
                            (prototypes[j : j + 1], dict(color="black", lw=2))):
            if pen:
                ax.plot(rows[:, 0::2].T, rows[:, 1::2].T, **style)
                ax.plot(rows[:, 0], rows[:, 1], "o", ms=3, color=style["color"])
            else:
                ax.plot(rows.T, **style)
        ax.set_title(f"cluster {j}", fontsize=9)
        if pen:
            ax.set_aspect("equal")
    fig.supxlabel("x (pen)" if pen else "feature")


def plot_samples(name: str, model: ClusterGAN, X: np.ndarray, seed: int, path: Path) -> None:
    """Generated samples per cluster: images, pen trajectories or line plots."""
    plt = _pyplot()
    spec = DATASETS[name]
    samples = generated_samples(model, 10 if spec.plot_kind == "image" else 20, seed)
    if spec.plot_kind == "image":
        fig = plt.figure(figsize=(8, 8.5))
        _image_panel(fig, samples, spec.plot_shape, X)
    else:
        n_rows = math.ceil(len(samples) / 5)
        fig = plt.figure(figsize=(15, 2.6 * n_rows if spec.plot_kind == "lines" else 3.2 * n_rows))
        _cluster_panels(fig, samples, model.cluster_centers_, spec.plot_kind == "pen")
    fig.suptitle(f"{name}: generated samples per cluster (seed {seed}); "
                 "black: prototype G(z_n=0, z_c=e_k)" * (spec.plot_kind != "image"))
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def latent_view(model: ClusterGAN, X: np.ndarray) -> tuple[np.ndarray, str]:
    """2-D PCA of E_n(x), or of softmax E_c(x) when the continuous code is degenerate."""
    z = model.transform(X).astype(np.float64)
    source = "E_n(x)"
    if model.beta_n == 0 or z.shape[1] < 2 or float(z.var(axis=0).sum()) < 1e-10:
        z, source = model.predict_proba(X).astype(np.float64), "softmax E_c(x)"
    return PCA(2, random_state=0).fit_transform(z), source


def plot_latent(name: str, model: ClusterGAN, X: np.ndarray, y: np.ndarray, path: Path,
                max_points: int = 5000) -> None:
    """Scatter of the 2-D latent view, coloured by predicted cluster and by true label."""
    plt = _pyplot()
    if X.shape[0] > max_points:
        keep = np.random.default_rng(0).choice(X.shape[0], max_points, replace=False)
        X, y = X[keep], y[keep]
    view, source = latent_view(model, X)
    pred = model.predict(X)
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharex=True, sharey=True)
    for ax, labels, title in ((axes[0], pred, "predicted cluster"), (axes[1], y, "true label")):
        sc = ax.scatter(view[:, 0], view[:, 1], c=labels, cmap="tab10", s=4, alpha=0.7)
        ax.set_title(f"coloured by {title}")
        ax.legend(*sc.legend_elements(), fontsize=7, markerscale=0.8, loc="best")
    fig.suptitle(f"{name}: PCA of {source}")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def plot_history(name: str, model: ClusterGAN, path: Path) -> None:
    """The four loss curves of ``history_``, raw and smoothed."""
    plt = _pyplot()
    keys = ("critic", "generator", "zn_recovery", "zc_recovery")
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.5))
    for ax, key in zip(axes, keys):
        values = np.asarray(model.history_[key])
        window = max(1, len(values) // 100)
        ax.plot(values, color="tab:blue", alpha=0.3 if window > 1 else 1.0, lw=0.6)
        if window > 1:
            smooth = np.convolve(values, np.ones(window) / window, mode="valid")
            ax.plot(np.arange(window - 1, len(values)), smooth, color="tab:blue", lw=1.2)
        ax.set_title(key)
        ax.set_xlabel("generator iteration")
    fig.suptitle(f"{name}: ClusterGAN training losses")
    fig.tight_layout()
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def plot_dataset(name: str, model: ClusterGAN, X: np.ndarray, y: np.ndarray,
                 out: Path, seed: int) -> None:
    """Write the three figures of one data set; a failing figure only warns."""
    figures = (
        lambda: plot_samples(name, model, X, seed, out / f"{name}_samples.png"),
        lambda: plot_latent(name, model, X, y, out / f"{name}_latent.png"),
        lambda: plot_history(name, model, out / f"{name}_history.png"),
    )
    for draw in figures:
        try:
            draw()
        except Exception as exc:  # noqa: BLE001 - a figure must not end a long run
            warnings.warn(f"[{name}] a figure failed: {exc!r}")


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        description="Reproduce the ClusterGAN paper's clustering table.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--datasets", nargs="+", choices=DATASET_NAMES,
                        default=list(DATASET_NAMES), metavar="NAME",
                        help=f"data sets, among {', '.join(DATASET_NAMES)}")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(DEFAULT_METHODS),
                        metavar="METHOD",
                        help=f"methods, among {', '.join(METHODS)} (default: all but "
                             "clustergan-backprop)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder with mnist/, fashion-mnist/, pendigits/ "
                             "(default: $SKCLUSTERGAN_DATA_DIR); not needed for synthetic, digits")
    parser.add_argument("--subsample", type=int, default=None,
                        help="keep this many random rows of each data set (quick runs)")
    parser.add_argument("--data-seed", type=int, default=0,
                        help="seed of the synthetic data and of the subsampling")
    parser.add_argument("--max-iter", type=int, default=None,
                        help="ClusterGAN max_iter for every data set "
                             "(default: the per-data-set table DEFAULT_MAX_ITER)")
    parser.add_argument("--architecture", choices=("auto", "mlp", "conv", "conv-small"),
                        default="auto",
                        help="'mlp' forces fully connected nets on image data; 'conv' "
                             "(the paper's nets) and 'conv-small' (the default for images: "
                             "the nets the CPU budgets were measured with) apply to image "
                             "data sets only")
    parser.add_argument("--device", default=None,
                        help="ClusterGAN device (default: the estimator's, 'auto')")
    parser.add_argument("--learning-rate-schedule", choices=("auto", "constant", "linear"),
                        default=None,
                        help="ClusterGAN learning_rate_schedule (default: the estimator's)")
    parser.add_argument("--n-critic", type=int, default=None,
                        help="ClusterGAN n_critic, critic steps per generator step "
                             "(default: the estimator's; the paper's is 5)")
    parser.add_argument("--compile", action="store_true",
                        help="ClusterGAN(compile=True): torch.compile the MLP training steps")
    parser.add_argument("--precision", choices=("float32", "bf16-mixed"), default=None,
                        help="ClusterGAN precision (default: the estimator's, float32); "
                             "bf16-mixed speeds up the conv nets on CPUs with AMX")
    parser.add_argument("--params", default="{}",
                        help="more ClusterGAN parameters, as a JSON object, e.g. "
                             "'{\"sigma\": 0.05}'; they override the per-data-set settings")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch.set_num_threads (default: torch's own)")
    parser.add_argument("--verbose", type=int, default=0, help="ClusterGAN verbose")
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG figures")
    parser.add_argument("--save-models", action="store_true",
                        help="write each fitted ClusterGAN to <out>/models/<data set>-seed<k>.pt "
                             "(ClusterGAN.save; an existing file is replaced)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    return parser


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Errors argparse cannot express."""
    needs = [n for n in args.datasets if DATASETS[n].needs_data_dir]
    if needs and args.data_dir is None and not os.environ.get("SKCLUSTERGAN_DATA_DIR"):
        parser.error(f"--data-dir is required for {', '.join(needs)}")
    if args.subsample is not None and args.subsample < 1:
        parser.error("--subsample must be positive")
    if args.max_iter is not None and args.max_iter < 1:
        parser.error("--max-iter must be positive")
    if args.n_critic is not None and args.n_critic < 1:
        parser.error(f"--n-critic must be a positive integer, got {args.n_critic}")
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be a positive integer, got {args.threads}")
    for option, seeds in (("--seeds", args.seeds), ("--data-seed", [args.data_seed])):
        bad = [seed for seed in seeds if not 0 <= seed <= MAX_SEED]
        if bad:
            parser.error(f"{option}: {bad[0]} is not a seed in 0..{MAX_SEED}")
    if args.data_dir is not None and not Path(args.data_dir).is_dir():
        parser.error(f"--data-dir {args.data_dir} is not a directory")
    try:
        args.extra = parse_params(args.params)
    except ValueError as exc:
        parser.error(str(exc))
    if not args.no_plots and importlib.util.find_spec("matplotlib") is None:
        parser.error("the figures need matplotlib (pip install 'skclustergan[benchmarks]'); "
                     "or pass --no-plots")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    check_args(parser, args)
    args.started = time.perf_counter()
    args.datasets = list(dict.fromkeys(args.datasets))
    methods = list(dict.fromkeys(args.methods))
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    command = shlex.join(["python", os.path.relpath(__file__), *argv])
    rows: list[dict] = []
    for name in args.datasets:
        try:
            rows.extend(run_dataset(name, args, methods))
        except DataSetError as exc:  # the data sets before it keep their results
            parser.exit(2, f"{parser.prog}: error: {exc}\n")
        write_outputs(pd.DataFrame(rows), args, command)  # partial results survive a crash
    table = write_outputs(pd.DataFrame(rows), args, command)
    print("\n" + table + f"\n\nWritten to {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
