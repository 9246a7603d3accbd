"""The ClusterGAN prior: a Gaussian continuous code z_n and a one-hot cluster code z_c."""

from __future__ import annotations

import torch


def sample_codes(
    n_samples: int,
    latent_dim: int,
    n_clusters: int,
    sigma: float,
    generator: torch.Generator,
    device: torch.device | str = "cpu",
    labels: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw ``n_samples`` codes ``z = [z_n, z_c]`` from the ClusterGAN prior; returns ``(z, labels)``.

    ``z_n = z[:, :latent_dim] ~ N(0, sigma^2 I)``; ``z_c = z[:, latent_dim:]`` is a
    one-hot vector over ``n_clusters``, uniform unless ``labels`` fixes the
    clusters. The cluster labels are drawn first, then ``z_n``, from ``generator``
    only (no global RNG state is used). ``z`` is written in place, with no host
    synchronisation (``torch.nn.functional.one_hot`` checks its labels on the host).
    """
    if labels is None:
        labels = torch.randint(n_clusters, (n_samples,), generator=generator, device=device)
    z_n = torch.randn(n_samples, latent_dim, generator=generator, device=device)
    z = torch.zeros(n_samples, latent_dim + n_clusters, device=device)
    torch.mul(z_n, sigma, out=z[:, :latent_dim])
    z[:, latent_dim:].scatter_(1, labels.unsqueeze(1), 1.0)
    return z, labels
