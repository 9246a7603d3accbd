"""Interleaved blocks of training iterations: fresh fakes in every step against shared ones.

    python ab.py DATA_DIR [--architecture conv-small|conv|mlp] [--rounds 12] [--block 20]
        [--variant reuse|recycle]

Needs branch ``fake-reuse`` (``TrainingConfig.reuse_fakes`` and ``recycle_fakes``). Variant ``fresh`` is the package's loop as before
(every step draws its own codes and runs G); ``reuse`` hands the last critic step's codes
and ``G(z)``, graph kept, to the G+E step; ``recycle`` gives the first critic step of an
iteration the previous G+E step's ``G(z)``. Two threads;
the conv nets on MNIST's first 10,000 rows (``latent_dim`` 30), ``mlp`` the default
fully connected nets on sklearn's digits (``latent_dim`` 10); ``random_state`` 0,
denormals flushed as in ``Trainer.fit``. Prints each block's it/s and the median ratio
``reuse`` (or ``recycle``) / ``fresh`` over the rounds.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import statistics
import time

import torch

from skclustergan import ClusterGAN
from skclustergan._data import TrainingData
from skclustergan._denormals import flush_denormals
from skclustergan._training import HISTORY_KEYS, make_trainer
from skclustergan.datasets import load_digits_scaled, load_mnist

CPU = torch.device("cpu")


def make(model, variant: str | None):
    nets = [copy.deepcopy(n) for n in (model.generator_, model.discriminator_, model.encoder_)]
    config = model._training_config()
    if variant is not None:
        config = dataclasses.replace(config, **{f"{variant}_fakes": True})
    trainer = make_trainer(*nets, config, torch.Generator().manual_seed(0), CPU)
    trainer._set_train_mode(True)
    return trainer


def block(trainer, data, n: int) -> float:
    out = torch.zeros(len(HISTORY_KEYS))
    start = time.perf_counter()
    for _ in range(n):
        trainer.train_step(data, out)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("--architecture", default="conv-small")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--block", type=int, default=20)
    parser.add_argument("--variant", default="reuse", choices=["reuse", "recycle"])
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.architecture == "mlp":
        X, _ = load_digits_scaled()
        model = ClusterGAN(n_clusters=10, max_iter=1, random_state=0).fit(X)
    else:
        X, _ = load_mnist(args.data_dir)
        X = X[:10000]
        model = ClusterGAN(n_clusters=10, latent_dim=30, image_shape=(1, 28, 28),
                           architecture=args.architecture, max_iter=1, random_state=0).fit(X)  # fmt: skip
    data = TrainingData(X, model.scaling_, CPU)
    trainers = {"fresh": make(model, None), args.variant: make(model, args.variant)}
    rates = {v: [] for v in trainers}
    print(f"{args.architecture}, {args.variant}, two threads, {torch.__version__}")
    with flush_denormals(CPU):
        for trainer in trainers.values():
            block(trainer, data, 5)
        for _ in range(args.rounds):
            for v, trainer in trainers.items():
                rates[v].append(block(trainer, data, args.block))
    ratios = [r / f for f, r in zip(rates["fresh"], rates[args.variant])]
    for v, r in rates.items():
        print(f"{v:6s} it/s per block: " + " ".join(f"{x:.1f}" for x in r) + f"; best {max(r):.2f}")
    print(f"median ratio {args.variant} / fresh: {statistics.median(ratios):.3f} "
          f"(per round {min(ratios):.3f}-{max(ratios):.3f})")  # fmt: skip


if __name__ == "__main__":
    main()
