"""probe15.py DATASET SEED MAX_ITER -> one JSON line.

The cluster code z_c fed to every layer of G, not only the first (a conditional generator:
each hidden layer sees [h, z_c]), so that every layer can shape each cluster's samples apart.
G keeps its widths, BatchNorm, LeakyReLU and sigmoid; D, E, the losses and the prior are the
estimator's. The written-out steps know only the plain Sequential G, so this trains with the
autograd steps (same mathematics, slower).
"""
import torch
from torch import nn
import skclustergan._estimator as est
from skclustergan._networks import build_mlp_networks
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "session28-probes"))
from harness import command_line, fit_and_report  # noqa: E402

ds, seed, max_iter = command_line()


class ConditionalGenerator(nn.Module):
    def __init__(self, plain: nn.Sequential, n_clusters: int) -> None:
        super().__init__()
        self.n_clusters = n_clusters
        blocks, layers = [], list(plain)
        while len(layers) > 2:  # [Linear, BatchNorm1d, LeakyReLU] blocks, then Linear, Sigmoid
            linear, norm, act, layers = layers[0], layers[1], layers[2], layers[3:]
            blocks.append(nn.Sequential(self._wider(linear, n_clusters if blocks else 0), norm, act))
        self.blocks = nn.ModuleList(blocks)
        self.out = self._wider(layers[0], n_clusters)
        self.activation = layers[1]

    @staticmethod
    def _wider(linear: nn.Linear, extra: int) -> nn.Linear:
        return nn.Linear(linear.in_features + extra, linear.out_features) if extra else linear

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        z_c = z[:, -self.n_clusters:]
        h = self.blocks[0](z)
        for block in self.blocks[1:]:
            h = block(torch.cat([h, z_c], dim=1))
        return self.activation(self.out(torch.cat([h, z_c], dim=1)))


def build(n_features, latent_dim, n_clusters, *args, **kwargs):
    g, d, e = build_mlp_networks(n_features, latent_dim, n_clusters, *args, **kwargs)
    return ConditionalGenerator(g, n_clusters), d, e


est.build_mlp_networks = build
fit_and_report(ds, seed, max_iter, "conditional-g")
