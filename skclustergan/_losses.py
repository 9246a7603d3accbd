"""Loss functions of ClusterGAN: the adversarial terms and the latent recovery terms."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from ._conv_kernels import conv_transpose2d
from ._networks import _ConvCritic as ConvCritic


def full_precision(x: torch.Tensor) -> torch.Tensor:
    """``x`` in float32 when autocast computed it in a 16-bit type, else ``x`` unchanged."""
    return x.float() if x.dtype in (torch.bfloat16, torch.float16) else x


def critic_scores_with_penalty(
    discriminator: torch.nn.Module,
    real: torch.Tensor,
    fake: torch.Tensor,
    generator: torch.Generator | None,
    penalty: bool,
    chain="auto",
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Score real and fake in one critic pass, and the gradient penalty.

    Returns ``(d_real, d_fake, gradient_penalty)``; the penalty is
    ``mean((||grad_x D(x_hat)||_2 - 1)^2)`` at ``x_hat = eps x + (1 - eps) x_fake``
    with one ``eps ~ U(0, 1)`` per sample (Gulrajani et al., 2017), or zero when
    ``penalty`` is False. ``fake`` must be detached from the generator.

    For a critic that is a chain of linear layers and (leaky) ReLUs, the input
    gradient is written out in closed form (:func:`chain_input_gradient`), so
    the penalty costs one first-order backward instead of a double backward;
    any other critic gets ``torch.autograd.grad(..., create_graph=True)`` over
    the interpolates only. Both give the same penalty and parameter gradients.
    ``chain``: the critic's :func:`piecewise_linear_chain`, found once by the
    caller (``"auto"``: find it here).
    """
    n = real.shape[0]
    scores = full_precision(discriminator(torch.cat([real, fake])))
    if not penalty:
        return scores[:n], scores[n:], scores.new_zeros(())
    eps = torch.rand(n, 1, generator=generator, device=real.device, dtype=real.dtype)
    interp = torch.lerp(fake, real, eps)
    if isinstance(chain, str):
        chain = piecewise_linear_chain(discriminator)
    if chain is not None:
        grad = chain_input_gradient(*chain, interp)
    else:
        interp.requires_grad_(True)
        (grad,) = torch.autograd.grad(discriminator(interp).sum(), interp, create_graph=True)
    gp = (full_precision(grad).norm(2, dim=1) - 1.0).square().mean()
    return scores[:n], scores[n:], gp


_LINEAR = (nn.Linear, nn.Conv2d)
_ACTIVATIONS = (nn.LeakyReLU, nn.ReLU)
_PIECEWISE_LINEAR = (*_LINEAR, *_ACTIVATIONS, nn.Identity, nn.Flatten)


def piecewise_linear_chain(
    critic: nn.Module,
) -> tuple[nn.Sequential, tuple[int, ...] | None] | None:
    """``(layers, input_shape)`` of a critic made of linear maps and (leaky) ReLUs, else None.

    Accepts an ``nn.Sequential`` of Linear / Conv2d / (Leaky)ReLU / Flatten / Identity
    layers ending in ``Linear(..., 1)`` (``input_shape`` None), and the
    convolutional critic, whose ``net`` is such a chain applied to its input
    viewed as ``image_shape``.
    """
    chain, shape = critic, None
    if type(critic) is ConvCritic:  # exactly ours: a subclass may change forward
        chain, shape = critic.net, tuple(critic.image_shape)
    if not isinstance(chain, nn.Sequential) or len(chain) == 0:
        return None
    if not all(type(layer) in _PIECEWISE_LINEAR for layer in chain):
        return None
    convs = [layer for layer in chain if isinstance(layer, nn.Conv2d)]
    if any(c.padding_mode != "zeros" or isinstance(c.padding, str) for c in convs):
        return None
    if convs and shape is None:
        return None
    last = chain[-1]
    if not (isinstance(last, nn.Linear) and last.out_features == 1):
        return None
    return chain, shape


def chain_input_gradient(
    chain: nn.Sequential, input_shape: tuple[int, ...] | None, x: torch.Tensor
) -> torch.Tensor:
    """``grad_x chain(x)`` per row for a piecewise-linear one-output chain, differentiable.

    With ``h_l`` the pre-activations at ``x``, the gradient is
    ``W_1^T diag(a'(h_1)) ... W_{L-1}^T diag(a'(h_{L-1})) w_L`` (a transposed
    convolution for a convolution): the slopes of the activations at ``x`` are
    constant almost everywhere, so the result is a product of the weights that
    autograd differentiates with first-order backward passes only. The forward
    pass that finds the slopes and shapes needs no graph. ``x`` is viewed as
    ``(-1, *input_shape)`` first when ``input_shape`` is given.
    """
    h = x if input_shape is None else x.view(-1, *input_shape)
    # trailing linear layers need neither their input's shape nor a slope: not run
    needed = [i for i, layer in enumerate(chain) if not isinstance(layer, (nn.Linear, nn.Identity))]
    shapes: list[torch.Size] = []
    pre_activations: dict[int, torch.Tensor] = {}
    with torch.no_grad():
        for i, layer in enumerate(chain[: max(needed, default=-1) + 1]):
            shapes.append(h.shape)
            if isinstance(layer, _ACTIVATIONS):
                pre_activations[i] = h
            h = layer(h)
    grad = None
    for i in range(len(chain) - 1, -1, -1):
        layer = chain[i]
        if isinstance(layer, nn.Linear):
            grad = layer.weight.expand(x.shape[0], -1) if grad is None else grad @ layer.weight
        elif isinstance(layer, nn.Conv2d):
            grad = _conv2d_adjoint(grad, layer, shapes[i])
        elif isinstance(layer, nn.Flatten):
            grad = grad.reshape(shapes[i])
        elif i in pre_activations:
            grad = _times_activation_slope(grad, layer, pre_activations[i])
    return grad.reshape(x.shape)


def _times_activation_slope(
    grad: torch.Tensor, activation: nn.Module, pre_activation: torch.Tensor
) -> torch.Tensor:
    """``grad * a'(pre_activation)`` in one differentiable kernel (the activation's own backward)."""
    if isinstance(activation, nn.LeakyReLU):
        return torch.ops.aten.leaky_relu_backward(
            grad, pre_activation, activation.negative_slope, False
        )
    return torch.ops.aten.threshold_backward(grad, pre_activation, 0.0)


def _conv2d_adjoint(grad: torch.Tensor, conv: nn.Conv2d, in_shape: torch.Size) -> torch.Tensor:
    """The adjoint of ``conv`` (without its bias) applied to ``grad``, shaped like its input."""
    output_padding = [
        in_shape[2 + d]
        - (
            (grad.shape[2 + d] - 1) * conv.stride[d]
            - 2 * conv.padding[d]
            + conv.dilation[d] * (conv.kernel_size[d] - 1)
            + 1
        )
        for d in range(2)
    ]
    return conv_transpose2d(
        grad,
        conv.weight,
        stride=conv.stride,
        padding=conv.padding,
        output_padding=output_padding,
        groups=conv.groups,
        dilation=conv.dilation,
    )


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
