#!/usr/bin/env python
"""Training iterations per second of the tabular nets against the batch size.

Separates the fixed cost of an iteration (running ~300 small operations one by
one) from its arithmetic: if t(batch) = a + b * batch, then ``a`` is what no
faster matmul can remove. Digits (1,797 x 64), ``ClusterGAN``'s training loop
(``Trainer.train_step``) with the default settings, best of 3 blocks.

    python benchmarks/batch_scaling.py --threads 1
    python benchmarks/batch_scaling.py --threads 2 --batch-sizes 64 128 256 512
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from cli_types import positive_int  # noqa: E402

from skclustergan import ClusterGAN  # noqa: E402
from skclustergan._data import TrainingData  # noqa: E402
from skclustergan._training import make_trainer  # noqa: E402


def iterations_per_second(batch_size: int, n_iter: int, blocks: int = 3) -> float:
    from sklearn.datasets import load_digits

    X = load_digits().data
    model = ClusterGAN(
        n_clusters=10, batch_size=batch_size, max_iter=1, random_state=0, device="cpu"
    ).fit(X)
    data = TrainingData(X, model.scaling_, torch.device("cpu"))
    trainer = make_trainer(
        model.generator_,
        model.discriminator_,
        model.encoder_,
        model._training_config(),
        torch.Generator().manual_seed(0),
        torch.device("cpu"),
    )
    out = torch.zeros(4)
    for _ in range(20):  # warm-up
        trainer.train_step(data, out)
    best = np.inf
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(n_iter):
            trainer.train_step(data, out)
        best = min(best, time.perf_counter() - start)
    return n_iter / best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=positive_int, default=1)
    parser.add_argument("--batch-sizes", type=positive_int, nargs="+", default=[64, 128, 256, 512])
    parser.add_argument("--iterations", type=positive_int, default=300)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    sizes, ms = [], []
    print(f"threads {args.threads}")
    print("| batch | it/s | ms/iter |\n|---:|---:|---:|")
    for batch in args.batch_sizes:
        rate = iterations_per_second(batch, args.iterations)
        sizes.append(batch)
        ms.append(1e3 / rate)
        print(f"| {batch} | {rate:.1f} | {ms[-1]:.2f} |", flush=True)
    if len(sizes) > 1:
        slope, intercept = np.polyfit(sizes, ms, 1)
        print(
            f"least-squares fit: {intercept:.2f} ms fixed + {64 * slope:.2f} ms per 64 rows "
            f"({100 * intercept / (intercept + 64 * slope):.0f}% of an iteration at batch 64 "
            "is fixed cost)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
