#!/usr/bin/env python
"""Clustering quality against training iterations and wall time, for one long fit.

Trains ``ClusterGAN`` with the benchmark's settings for a data set
(``run_benchmarks.clustergan_params``: the paper's ``latent_dim`` / ``beta_n``
and image shape) in warm-started chunks of ``--chunk`` iterations at a
constant learning rate (``learning_rate_schedule="constant"`` unless
``--params`` sets it: a decaying schedule would start again in every chunk),
and after each chunk records the argmax read-out's accuracy (Hungarian),
purity, NMI and ARI on the whole data set, the iterations so far and the wall
time of the ``fit`` calls (which includes computing ``labels_``; the metrics
are excluded).
Stops after ``--max-iter`` iterations or ``--time-limit`` seconds of training,
then adds the paper's KMeans-on-latent read-out. One JSON line per checkpoint,
appended to ``--out`` and printed. With ``--save-model PATH`` the fitted model is
pickled to PATH after every checkpoint (replacing the previous one), so that
other read-outs can be studied on it later, even when the run is stopped.

Each warm-started chunk reseeds the minibatch stream (seed + iterations so
far), so the curve is that of a constant-rate fit, not bit for bit one ``fit``.

Example (the GPU runs of ``benchmarks/README.md``)::

    python benchmarks/learning_curve.py --dataset mnist --data-dir ../shared/data \\
        --device cuda --seed 0 --chunk 5000 --time-limit 300 --out mnist_curve.jsonl
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run_benchmarks  # noqa: E402

from skclustergan import ClusterGAN  # noqa: E402
from skclustergan.metrics import clustering_report  # noqa: E402


def scores(y: np.ndarray, labels: np.ndarray) -> dict:
    return {k: round(float(v), 4) for k, v in clustering_report(y, labels).items()}


def emit(record: dict, out: Path | None) -> None:
    line = json.dumps(record)
    print(line, flush=True)
    if out is not None:
        with out.open("a") as f:
            f.write(line + "\n")


def save(model: ClusterGAN, path: Path) -> None:
    """Pickle ``model`` to ``path`` through a temporary file (no half-written model)."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as f:
        pickle.dump(model, f)
    partial.replace(path)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(run_benchmarks.DATASETS), required=True)
    parser.add_argument("--data-dir")
    parser.add_argument("--subsample", type=int)
    parser.add_argument("--data-seed", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--architecture", default="auto",
                        choices=("auto", "mlp", "conv", "conv-small"))
    parser.add_argument("--device")
    parser.add_argument("--chunk", type=int, default=5000, help="iterations per checkpoint")
    parser.add_argument("--max-iter", type=int, default=1_000_000,
                        help="stop once this many iterations are done (checked after each chunk)")
    parser.add_argument("--time-limit", type=float, default=600.0,
                        help="seconds of training (checked after each chunk)")
    parser.add_argument("--params", default="{}", help="more ClusterGAN parameters, as JSON")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--save-model", type=Path, metavar="PATH",
                        help="pickle the model to PATH after every checkpoint")
    args = parser.parse_args(argv)
    if args.chunk < 1:
        parser.error(f"--chunk must be at least 1, got {args.chunk}")
    try:
        args.extra = run_benchmarks.parse_params(args.params)
    except ValueError as exc:
        parser.error(str(exc))
    args.verbose, args.compile = 0, False  # what clustergan_params reads besides ours
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        X, y = run_benchmarks.load(args.dataset, args)
    except run_benchmarks.DataSetError as exc:  # a missing or corrupt file: one line
        print(f"learning_curve.py: error: {exc}", file=sys.stderr)
        return 2
    params = run_benchmarks.clustergan_params(args.dataset, args, args.seed)
    # clustergan_params includes --params; each fit call runs one chunk
    # (max_iter is the chunk, --max-iter the total)
    params.update(max_iter=args.chunk, warm_start=True)
    # a linear decay (the conv nets' "auto") would restart in every chunk
    params.setdefault("learning_rate_schedule", "constant")
    model = ClusterGAN(**params)
    base = {"dataset": args.dataset, "seed": args.seed, "n_samples": len(X),
            "architecture": args.architecture, "device": args.device, "params": args.params}
    trained_s = 0.0
    while True:
        start = time.perf_counter()
        model.fit(X)  # ends by reading labels_ back to the host
        trained_s += time.perf_counter() - start
        record = dict(base, iterations=model.n_iter_, train_s=round(trained_s, 1),
                      **scores(y, model.labels_))
        emit(record, args.out)
        if args.save_model is not None:
            save(model, args.save_model)
        if model.n_iter_ >= args.max_iter or trained_s >= args.time_limit:
            break
    paper = scores(y, run_benchmarks.paper_readout(model, X))
    emit(dict(base, iterations=model.n_iter_, train_s=round(trained_s, 1),
              readout="kmeans-on-latent", **paper), args.out)
    if torch.cuda.is_available():
        emit(dict(base, gpu_peak_mib=round(torch.cuda.max_memory_allocated() / 2**20, 1)),
             args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
