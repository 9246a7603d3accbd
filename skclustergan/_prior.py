"""The ClusterGAN prior: a Gaussian continuous code z_n and a one-hot cluster code z_c."""

from __future__ import annotations

import torch


def sample_prior(
    n_samples: int,
    latent_dim: int,
    n_clusters: int,
    sigma: float,
    generator: torch.Generator,
    device: torch.device | str = "cpu",
    labels: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Draw ``(z_n, z_c, labels)`` from the ClusterGAN prior.

    ``z_n ~ N(0, sigma^2 I)`` of dimension ``latent_dim``; ``z_c`` is a one-hot
    vector over ``n_clusters``, uniform unless ``labels`` fixes the clusters.
    Random numbers come from ``generator`` only (no global RNG state is used).
    """
    if labels is None:
        labels = torch.randint(n_clusters, (n_samples,), generator=generator, device=device)
    z_n = sigma * torch.randn(n_samples, latent_dim, generator=generator, device=device)
    z_c = torch.nn.functional.one_hot(labels, n_clusters).to(z_n.dtype)
    return z_n, z_c, labels
