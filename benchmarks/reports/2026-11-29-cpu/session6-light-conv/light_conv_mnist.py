"""Exploratory (sixth session): MNIST with convolutional nets of a quarter of the paper's width.

Not a product architecture: a probe of whether cheaper conv nets, which run several times
more iterations per CPU hour than the paper's, cluster MNIST better than the MLP nets
(0.641 at 150,000 iterations). The critic and encoder keep the paper's layout
(conv 4x4/2, LReLU 0.2, conv 4x4/2, LReLU, FC, LReLU, FC) at 32 / 64 channels and FC 256,
inside the package's own critic class, so the closed-form gradient penalty applies; G mirrors
it (FC 256-BN-ReLU, FC 7x7x64-BN-ReLU, deconv 4x4/2 32-BN-ReLU, deconv 4x4/2 1, sigmoid).

    python light_conv_mnist.py DATA_DIR SECONDS CHUNK [SEED [DATASET [MODEL_PICKLE]]]

DATASET: mnist (default; latent_dim 30) or fashion-mnist (the paper's latent_dim 40, beta_n 0).
"""

import json
import sys
import time

import joblib
import numpy as np
import torch
from torch import nn

from skclustergan import ClusterGAN
from skclustergan._networks import _ConvCritic, _official_init
from skclustergan.datasets import load_fashion_mnist, load_mnist
from skclustergan.metrics import cluster_accuracy


class LightGenerator(nn.Module):
    def __init__(self, z_dim: int) -> None:
        super().__init__()
        self.fc = nn.Sequential(
            nn.Linear(z_dim, 256), nn.BatchNorm1d(256), nn.ReLU(),
            nn.Linear(256, 64 * 7 * 7), nn.BatchNorm1d(64 * 7 * 7), nn.ReLU(),
        )
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1), nn.Sigmoid(),
        )

    def forward(self, z):
        return self.deconv(self.fc(z).view(-1, 64, 7, 7)).flatten(1)


def light_critic(n_out: int) -> _ConvCritic:
    critic = _ConvCritic((1, 28, 28), n_out)
    critic.net = nn.Sequential(
        nn.Conv2d(1, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 256), nn.LeakyReLU(0.2), nn.Linear(256, n_out),
    )
    return critic


def light_conv(n_features, latent_dim, n_clusters):
    z_dim = latent_dim + n_clusters
    nets = (LightGenerator(z_dim), light_critic(1), light_critic(z_dim))
    for net in nets:
        _official_init(net)
    return nets


def main() -> None:
    data_dir, seconds, chunk = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    dataset = sys.argv[5] if len(sys.argv) > 5 else "mnist"
    model_path = sys.argv[6] if len(sys.argv) > 6 else None
    torch.set_num_threads(2)
    if dataset == "mnist":
        (X, y), paper = load_mnist(data_dir), {"latent_dim": 30}
    else:
        (X, y), paper = load_fashion_mnist(data_dir), {"latent_dim": 40, "beta_n": 0.0}
    model = ClusterGAN(
        n_clusters=10, architecture=light_conv, scaling="global", max_iter=chunk,
        random_state=seed, **paper,
    )
    start, done = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        model.set_params(warm_start=done > 0).fit(X)
        done = model.n_iter_
        train_s = time.perf_counter() - start
        acc = cluster_accuracy(y, model.labels_)
        print(json.dumps({"iter": done, "train_and_eval_s": round(train_s, 1),
                          "acc": round(acc, 4), "sizes": np.bincount(model.labels_, minlength=10).tolist()}),
              flush=True)
    if model_path is not None:
        joblib.dump(model, model_path)


if __name__ == "__main__":
    main()
