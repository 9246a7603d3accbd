"""Nearest-generated-sample read-out: the cluster of x by a search over G's samples.

A search counterpart of back-propagation decoding (``_backprop``): instead of
optimising ``z_n`` for each sample x, draw a bank of ``per_cluster`` samples
``G(z_n, e_k)`` of every cluster k from the prior, and give x the majority cluster of
its ``n_neighbors`` nearest bank samples (squared Euclidean distance in the scaled
space that G generates in); a tie goes to the cluster of the nearest sample. The
encoder is not used: the clusters are those of the generator, as with
back-propagation decoding, at the cost of one matrix product against the bank.

The bank is drawn from a fixed seed, so the read-out of a fitted model is
deterministic; G runs in evaluation mode (BatchNorm's running statistics) and is
never changed.
"""

from __future__ import annotations

import torch

from ._generative import decode_scaled
from ._prior import sample_codes

#: Bank samples per cluster, and the most bank rows in all (more clusters get fewer each).
PER_CLUSTER = 2000
MAX_BANK_ROWS = 50_000
N_NEIGHBORS = 10
BANK_SEED = 0
#: Most entries of one block of the distance matrix (64 MiB of float32).
_BLOCK_ENTRIES = 1 << 24


def bank_size(n_clusters: int) -> int:
    """Samples per cluster: ``PER_CLUSTER``, fewer when the bank would exceed its cap."""
    return max(N_NEIGHBORS, min(PER_CLUSTER, MAX_BANK_ROWS // n_clusters))


def generated_bank(
    generator: torch.nn.Module,
    latent_dim: int,
    n_clusters: int,
    sigma: float,
    device: torch.device,
    per_cluster: int,
    seed: int = BANK_SEED,
) -> tuple[torch.Tensor, torch.Tensor]:
    """``per_cluster`` prior samples of each cluster decoded by G (scaled space, float32)
    and their clusters, both on ``device``."""
    labels = torch.arange(n_clusters).repeat_interleave(per_cluster)
    rng = torch.Generator().manual_seed(seed)
    z, _ = sample_codes(len(labels), latent_dim, n_clusters, sigma, rng, "cpu", labels=labels)
    return decode_scaled(generator, z, device).float(), labels.to(device)


def nearest_vote(
    bank: torch.Tensor,
    bank_labels: torch.Tensor,
    x: torch.Tensor,
    n_clusters: int,
    n_neighbors: int = N_NEIGHBORS,
) -> torch.Tensor:
    """Majority cluster of the ``n_neighbors`` bank rows nearest each row of ``x``."""
    bank_sq = (bank * bank).sum(1)
    block = max(1, _BLOCK_ENTRIES // len(bank))
    out = []
    with torch.inference_mode():
        for rows in x.float().split(block):
            # |x|^2 is the same for every bank row of a row of x: it does not change the order
            distance = torch.addmm(bank_sq, rows, bank.T, alpha=-2.0)
            nearest = distance.topk(n_neighbors, dim=1, largest=False).indices
            clusters = bank_labels[nearest]
            votes = torch.zeros(len(rows), n_clusters, device=x.device)
            votes.scatter_add_(1, clusters, torch.ones_like(clusters, dtype=votes.dtype))
            votes.scatter_add_(1, clusters[:, :1], torch.full_like(votes[:, :1], 0.5))
            out.append(votes.argmax(1))
    return torch.cat(out)
