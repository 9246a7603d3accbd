"""The training steps of the fully connected nets, with the backward passes written out.

A tabular iteration at batch 64 is a few milliseconds of small matrix products,
and in eager autograd about half of it goes to running operations one by one:
graph bookkeeping, transposed views, gradient accumulation, module calls.
:class:`MlpTrainer` computes exactly the same losses and gradients as
:class:`~skclustergan._training.Trainer` for the estimator's own fully
connected networks (``[Linear, BatchNorm1d, LeakyReLU] x L, Linear, Sigmoid``
for G; ``[Linear, LeakyReLU] x L, Linear`` for D and E) with the Wasserstein
loss, but by hand, without autograd: the critic scores real, fake and
interpolated rows in one pass of each layer, the gradient penalty's parameter
gradients follow from the closed-form input gradient (see
:func:`~skclustergan._losses.chain_input_gradient`), and gradients are written
into buffers that the optimiser reads. :func:`mlp_layout` says whether a set of
networks qualifies; anything else trains with the autograd steps.

Each step is split into its random draws (:meth:`MlpTrainer.critic_step`,
:meth:`MlpTrainer.generator_step`) and a deterministic update that writes the
gradients (:meth:`MlpTrainer.critic_update`, :meth:`MlpTrainer.generator_update`);
with ``compile=True`` the updates run under ``torch.compile``, which fuses the
element-wise operations between the matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ._compile import CompiledStep
from ._data import TrainingData
from ._linear import ONEDNN_MIN_ROWS, PackedLinear, onednn_is_faster, onednn_rows
from ._networks import Encoder
from ._training import Trainer

_leaky_relu_backward = torch.ops.aten.leaky_relu_backward
_batch_norm_backward = torch.ops.aten.native_batch_norm_backward.out


@dataclass(frozen=True)
class _Dense:
    """One hidden block ``Linear -> [BatchNorm1d] -> LeakyReLU``, or the output ``Linear``."""

    linear: nn.Linear
    norm: nn.BatchNorm1d | None = None
    slope: float | None = None  # None: no activation (the output layer)


@dataclass(frozen=True)
class MlpLayout:
    generator: tuple[_Dense, ...]
    sigmoid: bool
    critic: tuple[_Dense, ...]
    encoder: tuple[_Dense, ...]


def _blocks(net: nn.Module, batch_norm: bool) -> tuple[_Dense, ...] | None:
    """The blocks of ``[Linear, (BatchNorm1d,) LeakyReLU] x L, Linear``, else None."""
    if type(net) is not nn.Sequential:
        return None
    layers, blocks, step = list(net), [], 3 if batch_norm else 2
    while len(layers) > 1:
        group, layers = layers[:step], layers[step:]
        if len(group) < step or type(group[0]) is not nn.Linear:
            return None
        norm = group[1] if batch_norm else None
        if norm is not None and not _plain_batch_norm(norm):
            return None
        if type(group[-1]) is not nn.LeakyReLU:
            return None
        blocks.append(_Dense(group[0], norm, float(group[-1].negative_slope)))
    if len(layers) != 1 or type(layers[0]) is not nn.Linear or not blocks:
        return None
    return (*blocks, _Dense(layers[0]))


def _plain_batch_norm(norm: nn.Module) -> bool:
    return (
        type(norm) is nn.BatchNorm1d
        and norm.affine
        and norm.track_running_stats
        and norm.momentum is not None
    )


def mlp_layout(generator: nn.Module, discriminator: nn.Module, encoder: nn.Module):
    """The :class:`MlpLayout` of the estimator's fully connected nets, or None.

    ``encoder`` is the :class:`~skclustergan._networks.Encoder` wrapper. Networks
    with forward hooks, other layer types or a different order return None.
    """
    if type(encoder) is not Encoder:
        return None
    if type(generator) is not nn.Sequential or len(generator) < 2:
        return None
    tail = generator[-1]
    if type(tail) not in (nn.Sigmoid, nn.Identity):
        return None
    g_blocks = _blocks(nn.Sequential(*list(generator)[:-1]), batch_norm=True)
    d_blocks = _blocks(discriminator, batch_norm=False)
    e_blocks = _blocks(encoder.body, batch_norm=False)
    if g_blocks is None or d_blocks is None or e_blocks is None:
        return None
    if d_blocks[-1].linear.out_features != 1:
        return None
    nets = (generator, discriminator, encoder)
    if any(_has_hooks(module) for net in nets for module in net.modules()):
        return None
    return MlpLayout(g_blocks, type(tail) is nn.Sigmoid, d_blocks, e_blocks)


def _has_hooks(module: nn.Module) -> bool:
    return bool(
        module._forward_hooks
        or module._forward_pre_hooks
        or module._backward_hooks
        or getattr(module, "_backward_pre_hooks", None)
    )


def _grad_buffer(param: nn.Parameter) -> torch.Tensor:
    """``param.grad``, allocated when missing (the steps overwrite it whole)."""
    if param.grad is None:
        param.grad = torch.empty_like(param)
    return param.grad


@dataclass(frozen=True)
class _LossWeights:
    """The loss weights as 0-d tensors: compiled steps then take them as inputs
    instead of baking them in, so a grid over ``beta_n``, ``beta_c`` or
    ``gp_weight`` compiles once."""

    gp: torch.Tensor  # gp_weight / n: the penalty's weight per row
    gp_grad: torch.Tensor  # 2 gp_weight / n: d loss / d |grad_x| per unit of (|grad_x| - 1)
    beta_n: torch.Tensor
    beta_c: torch.Tensor
    zn_grad: torch.Tensor  # 2 beta_n / (n latent_dim): d loss / d E_n(G(z)) per unit of error
    zc_grad: torch.Tensor  # beta_c / n: d loss / d logits per unit of (softmax - one-hot)

    @classmethod
    def of(cls, config, dtype: torch.dtype, device: torch.device) -> _LossWeights:
        n, d = config.batch_size, config.latent_dim
        values = (
            config.gp_weight / n, 2.0 * config.gp_weight / n, config.beta_n, config.beta_c,
            2.0 * config.beta_n / (n * d), config.beta_c / n,
        )  # fmt: skip
        return cls(*(torch.tensor(v, dtype=dtype, device=device) for v in values))


class MlpTrainer(Trainer):
    """:class:`~skclustergan._training.Trainer` with hand-written steps for the MLP nets.

    Same random numbers, in the same order, and the same mathematics as the
    autograd steps; only the float rounding differs.
    """

    def __init__(self, *args, layout: MlpLayout, compile: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        self._signs: torch.Tensor | None = None
        dtype = layout.critic[0].linear.weight.dtype
        self._weights = _LossWeights.of(self.config, dtype, self.device)
        self._critic_update = self.critic_update
        self._generator_update = self.generator_update
        self._generator_update_on = self.generator_update_on
        if compile:
            # the compiled steps write into the gradient buffers, which must exist
            for param in self._parameters():
                _grad_buffer(param)
            self._critic_update = CompiledStep(self.critic_update, "critic step")
            self._generator_update = CompiledStep(self.generator_update, "generator step")
            self._generator_update_on = CompiledStep(self.generator_update_on, "generator step")

    def fit(self, data, n_iter: int, verbose: int = 0, **kwargs):
        for step in (self._critic_update, self._generator_update, self._generator_update_on):
            if isinstance(step, CompiledStep):
                step.verbose = verbose
        return super().fit(data, n_iter, verbose, **kwargs)

    def _parameters(self):
        for net in (self.generator, self.discriminator, self.encoder):
            yield from net.parameters()

    # ------------------------------------------------------------ shared pieces
    @staticmethod
    def _forward(blocks, x: torch.Tensor) -> tuple[torch.Tensor, list, list]:
        """Output of ``blocks`` on ``x``; the inputs and pre-activations of each block."""
        inputs, pre = [], []
        for block in blocks[:-1]:
            inputs.append(x)
            h = torch.addmm(block.linear.bias, x, block.linear.weight.t())
            if block.norm is not None:
                norm = block.norm
                norm.num_batches_tracked.add_(1)
                h_in = h
                h, mean, invstd = torch.native_batch_norm(
                    h, norm.weight, norm.bias, norm.running_mean, norm.running_var,
                    True, norm.momentum, norm.eps,
                )  # fmt: skip
                pre.append((h_in, h, mean, invstd))
            else:
                pre.append(h)
            x = torch.nn.functional.leaky_relu(h, block.slope)
        inputs.append(x)
        last = blocks[-1].linear
        return torch.addmm(last.bias, x, last.weight.t()), inputs, pre

    @staticmethod
    def _backward(blocks, grad: torch.Tensor, inputs, pre, need_input_grad: bool):
        """Write the parameter gradients of ``blocks`` for output gradient ``grad``."""
        for i in range(len(blocks) - 1, -1, -1):
            block = blocks[i]
            linear = block.linear
            if block.slope is not None:
                if block.norm is None:
                    grad = _leaky_relu_backward(grad, pre[i], block.slope, False)
                else:
                    h_in, h, mean, invstd = pre[i]
                    grad = _leaky_relu_backward(grad, h, block.slope, False)
                    norm = block.norm
                    grad = _batch_norm_backward(
                        grad, h_in, norm.weight, norm.running_mean, norm.running_var,
                        mean, invstd, True, norm.eps, [True, True, True],
                        out0=torch.empty_like(h_in), out1=_grad_buffer(norm.weight),
                        out2=_grad_buffer(norm.bias),
                    )[0]  # fmt: skip
            torch.mm(grad.t(), inputs[i], out=_grad_buffer(linear.weight))
            torch.sum(grad, 0, out=_grad_buffer(linear.bias))
            if i or need_input_grad:
                grad = grad @ linear.weight
        return grad

    def _generate(self, z: torch.Tensor):
        out, inputs, pre = self._forward(self.layout.generator, z)
        fake = torch.sigmoid(out) if self.layout.sigmoid else out
        return fake, inputs, pre

    # ------------------------------------------------------------------ steps
    def critic_step(self, data: TrainingData, keep_fakes: bool = False) -> torch.Tensor:
        n = self.config.batch_size
        with torch.no_grad():
            idx = torch.randint(data.n_samples, (n,), generator=self.rng, device=self.device)
            real = data.batch(idx)
            z_n, _, z = self.sample_latent(n)
            eps = torch.rand(n, 1, generator=self.rng, device=self.device, dtype=real.dtype)
            loss, generated = self._critic_update(real, z, eps, self._score_signs(real.dtype, n))
            if keep_fakes:
                self._kept = (z_n, z, generated)
        self.d_optimizer.step()
        return loss

    def critic_update(self, real, z, eps, signs) -> tuple[torch.Tensor, tuple]:
        """The critic's loss on ``real`` and ``G(z)``, its gradients written (no step).

        ``eps``: the interpolation weights of the penalty's rows; ``signs``: see
        :meth:`_score_signs`. Free of random draws and host reads, so it compiles.
        Returns the loss and :meth:`_generate` of ``z`` (for ``reuse_fakes``).
        """
        generated = self._generate(z)
        return self.critic_update_on(real, generated[0], eps, signs), generated

    def critic_update_on(self, real, fake, eps, signs) -> torch.Tensor:
        cfg, blocks = self.config, self.layout.critic
        n = cfg.batch_size
        with torch.no_grad():
            rows = torch.cat([real, fake, torch.lerp(fake, real, eps)])
            scores, inputs, pre = self._forward(blocks, rows)
            slopes = [h[2 * n :] for h in pre]  # pre-activations at the interpolates
            grad_x, chain = self._penalty_input_gradient(slopes, n)
            norm = grad_x.norm(2, dim=1, keepdim=True)
            gap = norm - 1.0
            # mean D(fake) - mean D(real) + gp_weight * mean(gap^2), as two dot products
            loss = torch.addcmul(
                torch.dot(signs.view(-1), scores[: 2 * n].view(-1)),
                torch.dot(gap.view(-1), gap.view(-1)),
                self._weights.gp,
            )
            self._critic_backward(n, signs, inputs, pre, slopes, chain, grad_x, norm, gap)
        return loss

    def _penalty_input_gradient(self, slopes, n: int) -> tuple[torch.Tensor, list]:
        """``grad_x D`` at the interpolates in closed form, and its factors ``u_l``.

        ``grad_x = u_0 W_0`` with ``u_l = a'(h_l) * (u_{l+1} W_{l+1})`` and
        ``u_L`` the last layer's weight row (see
        :func:`~skclustergan._losses.chain_input_gradient`); ``chain[l]`` is ``u_l``.
        """
        blocks = self.layout.critic
        grad = blocks[-1].linear.weight.expand(n, -1)
        chain = []
        for i in range(len(blocks) - 2, -1, -1):
            grad = _leaky_relu_backward(grad, slopes[i], blocks[i].slope, False)
            chain.append(grad)
            grad = grad @ blocks[i].linear.weight
        return grad, chain[::-1]

    def _critic_backward(self, n, signs, inputs, pre, slopes, chain, grad_x, norm, gap) -> None:
        """Parameter gradients of ``mean D(fake) - mean D(real) + gp_weight * GP``.

        ``signs``: d loss / d score of the real and fake rows; ``gap``: ``norm - 1``.
        """
        blocks = self.layout.critic
        # the scores of the real and fake rows (the first 2n of each layer)
        two = [x[: 2 * n] for x in inputs]
        self._backward(blocks, signs, two, [h[: 2 * n] for h in pre], need_input_grad=False)
        # the penalty, added in place: d loss / d grad_x, then back through the u_l
        # (a zero gradient row has zero derivative, as in autograd's norm backward)
        safe_norm = norm.clamp_min(torch.finfo(norm.dtype).tiny)
        d_grad = grad_x * torch.div(gap, safe_norm).mul_(self._weights.gp_grad)
        for i in range(len(blocks) - 1):
            weight = blocks[i].linear.weight
            weight.grad.addmm_(chain[i].t(), d_grad)
            d_grad = _leaky_relu_backward(d_grad @ weight.t(), slopes[i], blocks[i].slope, False)
        blocks[-1].linear.weight.grad.add_(d_grad.sum(0, keepdim=True))

    def _score_signs(self, dtype: torch.dtype, n: int) -> torch.Tensor:
        """``d loss / d score``: -1/n for the n real rows, +1/n for the n fake rows."""
        signs = self._signs
        if signs is None or signs.shape[0] != 2 * n or signs.dtype != dtype:
            signs = torch.full((2 * n, 1), 1.0 / n, dtype=dtype, device=self.device)
            signs[:n] = -1.0 / n
            self._signs = signs
        return signs

    def generator_step(self) -> torch.Tensor:
        kept, self._kept = self._kept, None
        with torch.no_grad():
            if kept is None:
                z_n, _, z = self.sample_latent(self.config.batch_size)
                losses = self._generator_update(z_n, z)
            else:
                z_n, z, generated = kept
                losses = self._generator_update_on(z_n, z, *generated)
        self.ge_optimizer.step()
        return losses

    def generator_update(self, z_n, z) -> torch.Tensor:
        """(total, z_n loss, z_c loss) of G and E on the codes ``z``, gradients written."""
        return self.generator_update_on(z_n, z, *self._generate(z))

    def generator_update_on(self, z_n, z, fake, g_inputs, g_pre) -> torch.Tensor:
        """:meth:`generator_update` with ``G(z)`` given: ``fake, g_inputs, g_pre``
        are :meth:`_generate` of ``z`` (the critic step's, for ``reuse_fakes``)."""
        cfg, layout = self.config, self.layout
        n = cfg.batch_size
        with torch.no_grad():
            enc, e_inputs, e_pre = self._forward(layout.encoder, fake)
            scores, _, d_pre = self._forward(layout.critic, fake)
            d = cfg.latent_dim
            enc_n, logits = enc[:, :d], enc[:, d:]
            adv = -scores.mean()
            diff = enc_n - z_n
            zn_loss = diff.square().mean()
            one_hot = z[:, d:]
            log_probs = torch.log_softmax(logits, dim=1)
            zc_loss = torch.mul(log_probs, one_hot).sum() / -n
            w = self._weights
            loss = adv + w.beta_n * zn_loss + w.beta_c * zc_loss
            # backward: E's output, D's output (its parameters stay fixed), then G
            d_logits = torch.sub(log_probs.exp_(), one_hot).mul_(w.zc_grad)
            d_enc = torch.cat([diff * w.zn_grad, d_logits], dim=1)
            grad_x = self._backward(layout.encoder, d_enc, e_inputs, e_pre, need_input_grad=True)
            grad_x += self._critic_input_grad(scores, d_pre, n)
            if layout.sigmoid:
                grad_x = torch.ops.aten.sigmoid_backward(grad_x, fake)
            self._backward(layout.generator, grad_x, g_inputs, g_pre, need_input_grad=False)
        return torch.stack([loss, zn_loss, zc_loss])

    def _critic_input_grad(self, scores, pre, n) -> torch.Tensor:
        """``d(-mean D(x)) / dx`` without touching the critic's parameter gradients."""
        blocks = self.layout.critic
        grad = blocks[-1].linear.weight.expand(n, -1) * (-1.0 / n)
        for i in range(len(blocks) - 2, -1, -1):
            grad = _leaky_relu_backward(grad, pre[i], blocks[i].slope, False)
            grad = grad @ blocks[i].linear.weight
        return grad


class BufferedEncoder:
    """The fully connected encoder's inference forward pass, allocating nothing per call.

    ``torch``'s CPU allocator gives each activation of a 2,048-row pass (2 MB at
    width 256) to glibc's ``malloc``, which maps and unmaps blocks of that size
    until its dynamic threshold has risen, so that every pass faults its pages in
    again: a fresh process ran its first million-row ``transform`` at 1.2 s
    instead of 0.7 s (benchmarks/README.md, eighteenth session). Here each layer
    writes into a buffer allocated once (``addmm(..., out=)``, in-place
    LeakyReLU), so a pass allocates nothing. Where oneDNN multiplies faster than
    the BLAS (:func:`~skclustergan._linear.onednn_is_faster`: a float32 encoder on
    such a CPU), each layer is instead one oneDNN product with its LeakyReLU
    fused and its weight packed once, for calls of at least
    :data:`~skclustergan._linear.ONEDNN_MIN_ROWS` rows (``n_rows``; packing costs
    more than it saves on fewer); oneDNN allocates its outputs, so
    :attr:`rows` is then cut to keep each under 1 MiB.

    Two savings on the work itself: ``heads`` computes only the outputs asked for
    (``"c"``: the cluster logits, ``"n"``: z_n) of the last layer, and ``affine``
    (``(shift, scale)`` of the input scaling ``(x - shift) / scale``) is folded into
    the first layer, so that unscaled rows go in and no scaled copy is made. Build
    one per inference call: a cut or folded layer is a copy that later changes to
    the module do not reach. :meth:`of` returns None for networks that are not the
    estimator's plain ``[Linear, LeakyReLU] x L, Linear``.
    """

    def __init__(
        self,
        encoder: Encoder,
        blocks: tuple[_Dense, ...],
        rows: int,
        n_rows: int = 0,
        heads: str = "nc",
        affine: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.latent_dim = encoder.latent_dim
        self.heads = heads
        layers = _inference_layers(blocks, self.latent_dim, heads, affine)
        weight = layers[0][0]
        self.packed: list[PackedLinear] | None = None
        cpu32 = weight.dtype == torch.float32 and weight.device.type == "cpu"
        if cpu32 and n_rows >= ONEDNN_MIN_ROWS and onednn_is_faster():
            rows = onednn_rows([w.shape[0] for w, _, _ in layers], rows)
            self.packed = [PackedLinear(w, b, slope, rows) for w, b, slope in layers]
            self.buffers = []
        else:
            self.buffers = [
                torch.empty(rows, w.shape[0], dtype=w.dtype, device=w.device) for w, _, _ in layers
            ]
        self.layers = layers
        self.rows = rows  # the most rows one call takes

    @classmethod
    def of(
        cls,
        encoder: nn.Module,
        rows: int,
        n_rows: int = 0,
        heads: str = "nc",
        affine: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> BufferedEncoder | None:
        """The buffered pass of ``encoder`` for at most ``rows`` rows a call, over
        ``n_rows`` in all (which decides whether oneDNN pays), or None."""
        if type(encoder) is not Encoder:
            return None
        blocks = _blocks(encoder.body, batch_norm=False)
        if blocks is None or any(_has_hooks(module) for module in encoder.modules()):
            return None
        return cls(encoder, blocks, rows, n_rows, heads, affine)

    def __call__(self, x: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """``(z_n, logits)`` of ``x`` (at most :attr:`rows` rows; unscaled when an
        ``affine`` was folded in), None for a head not asked for: views of a buffer
        that the next call may overwrite, so copy them out before calling again."""
        if self.packed is not None:
            for layer in self.packed:
                x = layer(x)
        else:
            n = x.shape[0]
            for (weight, bias, slope), buffer in zip(self.layers, self.buffers):
                out = buffer[:n]
                torch.addmm(bias, x, weight.t(), out=out)
                if slope is not None:
                    torch.nn.functional.leaky_relu_(out, slope)
                x = out
        if self.heads == "n":
            return x, None
        if self.heads == "c":
            return None, x
        return x[:, : self.latent_dim], x[:, self.latent_dim :]


def _inference_layers(
    blocks: tuple[_Dense, ...],
    latent_dim: int,
    heads: str,
    affine: tuple[np.ndarray, np.ndarray] | None,
) -> list[tuple[torch.Tensor, torch.Tensor, float | None]]:
    """``(weight, bias, slope)`` of each block: detached views of the parameters,
    except the last layer, cut to ``heads``, and the first with ``affine`` folded in
    (computed in float64), which are copies."""
    layers = [(b.linear.weight.detach(), _bias(b.linear), b.slope) for b in blocks]
    weight, bias, slope = layers[-1]
    keep = {"n": slice(None, latent_dim), "c": slice(latent_dim, None)}.get(heads, slice(None))
    layers[-1] = (weight[keep].contiguous(), bias[keep].contiguous(), slope)
    if affine is not None:  # in float64 on the CPU (MPS has no float64), then back
        weight, bias, slope = layers[0]
        shift, scale = (torch.as_tensor(a, dtype=torch.float64) for a in affine)
        folded = weight.cpu().double() / scale
        shifted = bias.cpu().double() - folded @ shift
        layers[0] = (folded.to(weight), shifted.to(bias), slope)
    return layers


def _bias(linear: nn.Linear) -> torch.Tensor:
    if linear.bias is not None:
        return linear.bias.detach()
    return torch.zeros(linear.out_features, dtype=linear.weight.dtype, device=linear.weight.device)
