"""Loss functions of ClusterGAN: the adversarial terms and the latent recovery terms."""

from __future__ import annotations

import torch
from torch.nn import functional as F


def critic_scores_with_penalty(
    discriminator: torch.nn.Module,
    real: torch.Tensor,
    fake: torch.Tensor,
    generator: torch.Generator | None,
    penalty: bool,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Score real and fake in one critic pass, and the gradient penalty.

    Returns ``(d_real, d_fake, gradient_penalty)``; the penalty is
    ``mean((||grad_x D(x_hat)||_2 - 1)^2)`` at ``x_hat = eps x + (1 - eps) x_fake``
    with one ``eps ~ U(0, 1)`` per sample (Gulrajani et al., 2017), or zero when
    ``penalty`` is False. ``fake`` must be detached from the generator. The
    interpolates get a pass of their own so that the double backward of the
    penalty only runs over them.
    """
    n = real.shape[0]
    scores = discriminator(torch.cat([real, fake]))
    if not penalty:
        return scores[:n], scores[n:], scores.new_zeros(())
    eps = torch.rand(n, 1, generator=generator, device=real.device, dtype=real.dtype)
    interp = torch.lerp(fake, real, eps).requires_grad_(True)
    (grad,) = torch.autograd.grad(discriminator(interp).sum(), interp, create_graph=True)
    gp = (grad.norm(2, dim=1) - 1.0).square().mean()
    return scores[:n], scores[n:], gp


def critic_loss(
    d_real: torch.Tensor, d_fake: torch.Tensor, gp: torch.Tensor, kind: str, gp_weight: float
) -> torch.Tensor:
    """Loss minimised by the critic.

    ``"wasserstein-gp"``: ``E[D(fake)] - E[D(real)] + gp_weight * GP``;
    ``"standard"``: binary cross-entropy with logits (real = 1, fake = 0).
    """
    if kind == "wasserstein-gp":
        return d_fake.mean() - d_real.mean() + gp_weight * gp
    return F.softplus(-d_real).mean() + F.softplus(d_fake).mean()


def generator_adversarial_loss(d_fake: torch.Tensor, kind: str) -> torch.Tensor:
    """Adversarial part of the G+E loss (non-saturating for the standard GAN)."""
    if kind == "wasserstein-gp":
        return -d_fake.mean()
    return F.softplus(-d_fake).mean()


def latent_recovery_losses(
    z_n: torch.Tensor, labels: torch.Tensor, enc_n: torch.Tensor, enc_logits: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(mean((z_n - E_n)^2), CE(z_c, E_c))``, both averaged as in the official code.

    The squared error is averaged over the batch and the latent dimensions.
    """
    return F.mse_loss(enc_n, z_n), F.cross_entropy(enc_logits, labels)
