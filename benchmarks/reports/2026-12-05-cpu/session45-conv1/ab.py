"""Interleaved blocks of conv-net training iterations: ``Conv2d`` first layers against ``nn.Conv2d``.

    python ab.py DATA_DIR [--architecture conv-small] [--rounds 12] [--block 20]
    python ab.py DATA_DIR --kernels

Needs branch ``conv1-grad`` (``skclustergan._conv_kernels.Conv2d``).

Two threads, MNIST's first 10,000 rows, the estimator's nets and settings (``latent_dim``
30, ``random_state`` 0), denormals flushed as in ``Trainer.fit``. Variant ``plain`` turns
the critic's and the encoder's first convolution back into ``nn.Conv2d`` (the package
before the forty-fifth session); ``ours`` is the package as it is. Prints each block's it/s
and the median ratio ``plain`` time / ``ours`` time over the rounds. ``--kernels``: the
backward pass of the first convolution alone (batch 64, 1 -> 32 channels, 28 -> 14,
``channels_last`` weights), input, weight and bias gradients and the input gradient alone,
median of 50 calls, both variants twice.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time

import torch
from torch import nn

from skclustergan import ClusterGAN
from skclustergan._conv_kernels import Conv2d
from skclustergan._data import TrainingData
from skclustergan._denormals import flush_denormals
from skclustergan._training import make_trainer
from skclustergan.datasets import load_mnist

CPU = torch.device("cpu")


def make(model, variant: str):
    nets = [copy.deepcopy(n) for n in (model.generator_, model.discriminator_, model.encoder_)]
    for net in nets:
        for module in net.modules():
            if isinstance(module, nn.Conv2d):
                module.__class__ = nn.Conv2d if variant == "plain" else Conv2d
    trainer = make_trainer(*nets, model._training_config(), torch.Generator().manual_seed(0), CPU)
    trainer._set_train_mode(True)
    return trainer


def block(trainer, data, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        trainer.critic_step(data)
        trainer.generator_step()
    return n / (time.perf_counter() - start)


def kernels() -> None:
    x = torch.rand(64, 1, 28, 28, requires_grad=True)
    for v in ("ours", "plain", "ours", "plain"):
        conv = (Conv2d if v == "ours" else nn.Conv2d)(1, 32, 4, stride=2, padding=1)
        conv = conv.to(memory_format=torch.channels_last)
        g = torch.randn_like(conv(x))
        times = {}
        for wrt in ((x, conv.weight, conv.bias), (x,)):
            ts = []
            for i in range(60):
                out = conv(x)
                start = time.perf_counter()
                torch.autograd.grad(out, wrt, g)
                if i >= 10:
                    ts.append(time.perf_counter() - start)
            times[len(wrt)] = statistics.median(ts) * 1e3
        print(f"{v:6s} backward: x, w, b {times[3]:.3f} ms; x alone {times[1]:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("--architecture", default="conv-small")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--block", type=int, default=20)
    parser.add_argument("--kernels", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.kernels:
        kernels()
        return
    X, _ = load_mnist(args.data_dir)
    X = X[:10000]
    model = ClusterGAN(n_clusters=10, latent_dim=30, image_shape=(1, 28, 28),
                       architecture=args.architecture, max_iter=1, random_state=0).fit(X)  # fmt: skip
    data = TrainingData(X, model.scaling_, CPU)
    trainers = {v: make(model, v) for v in ("plain", "ours")}
    rates = {v: [] for v in trainers}
    print(f"{args.architecture}, two threads, {torch.__version__}")
    with flush_denormals(CPU):
        for trainer in trainers.values():
            block(trainer, data, 5)
        for _ in range(args.rounds):
            for v, trainer in trainers.items():
                rates[v].append(block(trainer, data, args.block))
    ratios = [o / p for p, o in zip(rates["plain"], rates["ours"])]
    for v, r in rates.items():
        print(f"{v:6s} it/s per block: " + " ".join(f"{x:.1f}" for x in r) + f"; best {max(r):.2f}")
    print(f"median ratio ours / plain: {statistics.median(ratios):.3f} "
          f"(per round {min(ratios):.3f}-{max(ratios):.3f})")  # fmt: skip


if __name__ == "__main__":
    main()
