#!/usr/bin/env python
"""Peak memory of fitting ClusterGAN on a large float32 ``np.memmap``.

Creates (or reuses) a raw float32 file of ``--rows`` x 100 values holding ten
Gaussian blobs, opens it read-only as ``np.memmap``, fits
``ClusterGAN(n_clusters=10, max_iter=--max-iter)`` on it and predicts its labels.
While it runs, a thread samples ``/proc/self/status`` every 10 ms and the script
reports, per phase, the peak resident memory above the baseline measured after
the imports:

* ``anon``: private memory (heap, torch tensors, any copy of the data). This is
  what the streaming design bounds; the target is < 1 GB at 10M rows.
* ``rss``: everything resident, including the pages of the mapped file that the
  kernel keeps cached (``RssFile``). Those are page cache, shared and
  reclaimable: they grow to the file size after any full pass over it (the
  finiteness check, the min/max of the scaling, the labels), and the kernel
  drops them under memory pressure.

``ru_maxrss`` (the kernel's peak of ``rss``) is printed as a cross-check.
The only output of size O(n_samples) is the labels array (8 bytes a row).

Examples (from the repository root)::

    python benchmarks/memmap_fit.py --rows 100000 --max-iter 50
    python benchmarks/memmap_fit.py --create-only              # 10M rows: 4 GB in /tmp
    python benchmarks/memmap_fit.py --max-iter 200 --threads 1 --delete
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from cli_types import positive_int  # noqa: E402

from skclustergan import ClusterGAN  # noqa: E402

N_FEATURES = 100
N_CLUSTERS = 10
_STATUS_KEYS = ("VmRSS", "RssAnon", "RssFile")


def memory() -> dict[str, int]:
    """Resident memory of this process in bytes: rss, anon and file-backed."""
    values = {}
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in _STATUS_KEYS:
                    values[key] = int(rest.split()[0]) * 1024
    except OSError:  # not Linux: ru_maxrss only
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss *= 1 if sys.platform == "darwin" else 1024
        return {"rss": rss, "anon": rss, "file": 0}
    return {"rss": values["VmRSS"], "anon": values["RssAnon"], "file": values["RssFile"]}


class PeakSampler(threading.Thread):
    """Samples :func:`memory` every ``interval`` seconds; keeps the peaks per phase."""

    def __init__(self, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.phase = None
        self.peaks: dict[str, dict[str, int]] = {}
        self._done = threading.Event()
        self._lock = threading.Lock()  # the sampling thread and start_phase share phase/peaks

    def start_phase(self, name: str) -> None:
        with self._lock:
            self._sample_locked()
            self.peaks[name] = memory()
            self.phase = name

    def _sample(self) -> None:
        with self._lock:
            self._sample_locked()

    def _sample_locked(self) -> None:
        if self.phase is not None:
            now, peak = memory(), self.peaks[self.phase]
            for key in peak:
                peak[key] = max(peak[key], now[key])

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self._sample()

    def stop(self) -> None:
        self._sample()
        self._done.set()
        self.join()


def create_data(path: Path, n_rows: int, seed: int = 0, chunk: int = 100_000) -> None:
    """Write ten blobs as raw float32 rows with plain writes (nothing mapped here)."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(0.0, 3.0, size=(N_CLUSTERS, N_FEATURES)).astype(np.float32)
    labels = np.empty(n_rows, dtype=np.int8)
    tmp = path.with_suffix(".partial")
    with open(tmp, "wb") as handle:
        for start in range(0, n_rows, chunk):
            n = min(chunk, n_rows - start)
            y = rng.integers(N_CLUSTERS, size=n)
            X = centers[y] + rng.standard_normal((n, N_FEATURES), dtype=np.float32)
            handle.write(X.tobytes())
            labels[start : start + n] = y
    np.save(path.with_suffix(".labels.npy"), labels)
    tmp.replace(path)


def open_data(path: Path, n_rows: int, create: bool) -> np.memmap:
    expected = n_rows * N_FEATURES * 4
    reuse = (
        path.is_file()
        and path.stat().st_size == expected
        and path.with_suffix(".labels.npy").is_file()
    )
    if not reuse:
        if not create:
            raise SystemExit(f"{path} is missing or has the wrong size")
        start = time.perf_counter()
        print(f"creating {path} ({expected / 1e9:.2f} GB)...", flush=True)
        create_data(path, n_rows)
        print(f"  written in {time.perf_counter() - start:.1f} s", flush=True)
    else:
        print(f"reusing {path}", flush=True)
    return np.memmap(path, dtype=np.float32, mode="r", shape=(n_rows, N_FEATURES))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=positive_int, default=10_000_000, help="rows (default: 10M)")
    parser.add_argument("--max-iter", type=positive_int, default=200, help="training iterations")
    parser.add_argument("--batch-size", type=positive_int, default=64)
    parser.add_argument("--hidden", type=positive_int, nargs="+", default=[256, 256],
                        help="hidden layer sizes (default: the estimator's 256 256)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=positive_int, default=None, help="torch.set_num_threads")
    parser.add_argument("--path", type=Path, default=None,
                        help="data file (default: <tmp>/skclustergan_memmap_<rows>x100.f32)")
    parser.add_argument("--delete", action="store_true",
                        help="delete the data file (and its labels) at the end")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--create-only", action="store_true",
                        help="only create the data file (it is reused by later runs)")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    path = args.path or Path(tempfile.gettempdir()) / f"skclustergan_memmap_{args.rows}x100.f32"
    X = open_data(path, args.rows, create=True)
    if args.create_only:
        return 0
    baseline = memory()  # after the imports and opening the mapping, before any pass

    sampler = PeakSampler()
    sampler.start()
    model = ClusterGAN(
        n_clusters=N_CLUSTERS,
        max_iter=args.max_iter,
        batch_size=args.batch_size,
        hidden_layer_sizes=tuple(args.hidden),
        device=args.device,
        random_state=0,
    )
    times = {}
    sampler.start_phase("fit")
    start = time.perf_counter()
    model.fit(X)
    times["fit"] = time.perf_counter() - start
    sampler.start_phase("predict")
    start = time.perf_counter()
    labels = model.predict(X)
    times["predict"] = time.perf_counter() - start
    sampler.stop()
    ru_maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    assert labels.shape == (args.rows,)
    truth = np.load(path.with_suffix(".labels.npy"))
    agree = float(np.mean(labels == model.labels_))
    from sklearn.metrics import adjusted_rand_score

    sample = np.random.default_rng(0).choice(args.rows, min(args.rows, 200_000), replace=False)
    ari = adjusted_rand_score(truth[sample], labels[sample])

    gb = 1e9
    print(f"\n{args.rows:,} x {N_FEATURES} float32 memmap ({args.rows * N_FEATURES * 4 / gb:.2f} GB)"
          f", max_iter={args.max_iter}, hidden={tuple(args.hidden)}, device={args.device}, "
          f"torch threads={torch.get_num_threads()}")
    print(f"baseline after imports: rss {baseline['rss'] / gb:.3f} GB "
          f"(anon {baseline['anon'] / gb:.3f} GB)")
    print(f"{'phase':<8} {'time s':>8} {'peak anon +GB':>14} {'peak rss +GB':>13} "
          f"{'of which file':>14}")
    result = {"rows": args.rows, "max_iter": args.max_iter, "hidden": args.hidden,
              "device": args.device, "baseline": baseline, "phases": {}}
    for phase, peak in sampler.peaks.items():
        anon = (peak["anon"] - baseline["anon"]) / gb
        rss = (peak["rss"] - baseline["rss"]) / gb
        file_ = (peak["file"] - baseline["file"]) / gb
        print(f"{phase:<8} {times[phase]:>8.1f} {anon:>14.3f} {rss:>13.3f} {file_:>14.3f}")
        result["phases"][phase] = {"seconds": times[phase], "peak": peak}
    print(f"ru_maxrss (peak rss, file pages included): {ru_maxrss / gb:.3f} GB, "
          f"{(ru_maxrss - baseline['rss']) / gb:.3f} GB above the baseline")
    print(f"labels: {labels.nbytes / gb:.3f} GB output; predict == labels_ on {agree:.4%} "
          f"of rows; ARI vs the blobs (200k-row sample) {ari:.3f}")
    result.update(ru_maxrss=ru_maxrss, ari=ari, labels_bytes=labels.nbytes)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))

    del X
    if args.delete:
        for p in (path, path.with_suffix(".labels.npy")):
            p.unlink(missing_ok=True)
        print(f"deleted {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
