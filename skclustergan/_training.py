"""The ClusterGAN training loop, split into small overridable steps.

One iteration is ``n_critic`` critic updates followed by one joint update of the
generator G and the encoder E on

    adv(D(G(z))) + beta_n * mean((z_n - E_n(G(z)))^2) + beta_c * CE(z_c, E_c(G(z))).

E only ever sees generated samples. Losses are written into a tensor on the
training device, so the loop makes no host synchronisation per step.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import warnings
from dataclasses import dataclass

import torch
from torch import nn

from ._data import TrainingData
from ._denormals import flush_denormals
from ._losses import (
    critic_loss,
    critic_scores_with_penalty,
    full_precision,
    generator_adversarial_loss,
    latent_recovery_losses,
    piecewise_linear_chain,
)
from ._optim import LeanAdam
from ._prior import sample_codes

HISTORY_KEYS = ("critic", "generator", "zn_recovery", "zc_recovery")


class TrainingDivergedError(FloatingPointError):
    """Raised when a loss becomes NaN or infinite during training."""


PAPER_ADAM_BETAS = (0.5, 0.9)
# ``adam_betas="auto"`` for the convolutional nets: no momentum in the first moment,
# which trained MNIST to better clusters in a CPU hour (benchmarks/README.md)
CONV_ADAM_BETAS = (0.0, 0.9)
# ``learning_rate="auto"``: 20 times the paper's 1e-4 for the convolutional nets, 5 times
# for the fully connected ones (both measured on CPU budgets, benchmarks/README.md)
CONV_LEARNING_RATE = 2e-3
MLP_LEARNING_RATE = 5e-4


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters of the loop (a resolved copy of the estimator's)."""

    latent_dim: int
    n_clusters: int
    sigma: float
    beta_n: float
    beta_c: float
    adversarial_loss: str
    gp_weight: float
    n_critic: int
    batch_size: int
    learning_rate: float
    learning_rate_schedule: str = "constant"
    precision: str = "float32"  # or "bf16-mixed": the steps under bfloat16 autocast
    adam_betas: tuple[float, float] = PAPER_ADAM_BETAS
    reuse_fakes: bool = False  # the G+E step reuses the last critic step's codes and G(z)


def make_optimizer(
    params, learning_rate: float, betas: tuple[float, float] = PAPER_ADAM_BETAS
) -> torch.optim.Optimizer:
    """Adam (default: the paper's betas 0.5, 0.9), fused where this torch supports it."""
    params = list(params)
    try:
        return LeanAdam(params, lr=learning_rate, betas=betas)
    except (RuntimeError, TypeError):
        return torch.optim.Adam(params, lr=learning_rate, betas=betas, foreach=True)


class Trainer:
    """Owns the networks' optimisers and runs training iterations."""

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        encoder: nn.Module,
        config: TrainingConfig,
        rng: torch.Generator,
        device: torch.device,
        optimizer_state: dict | None = None,
    ) -> None:
        self.generator, self.discriminator, self.encoder = generator, discriminator, encoder
        self.config = config
        self.rng = rng
        self.device = device
        self._kept = None  # (z_n, labels, z, G(z)) of the last critic step, see critic_step
        self.d_params = list(discriminator.parameters())
        self.critic_chain = piecewise_linear_chain(discriminator)  # None: double backward
        betas = tuple(config.adam_betas)
        self.d_optimizer = make_optimizer(self.d_params, config.learning_rate, betas)
        ge_params = list(generator.parameters()) + list(encoder.parameters())
        self.ge_optimizer = make_optimizer(ge_params, config.learning_rate, betas)
        if optimizer_state is not None:
            self.d_optimizer.load_state_dict(optimizer_state["discriminator"])
            self.ge_optimizer.load_state_dict(optimizer_state["generator_encoder"])
            for optimizer in (self.d_optimizer, self.ge_optimizer):
                for group in optimizer.param_groups:  # the saved groups carry old betas
                    group["betas"] = betas

    def learning_rate_at(self, iteration: int, n_iter: int) -> float:
        """Learning rate of iteration ``iteration`` (0-based) of a run of ``n_iter``.

        ``"linear"`` decays from ``learning_rate`` towards 0 over the run (as in
        Gulrajani et al.'s WGAN-GP code); ``"constant"`` keeps ``learning_rate``.
        """
        base = self.config.learning_rate
        if self.config.learning_rate_schedule == "linear":
            return base * (1.0 - iteration / n_iter)
        return base

    def set_learning_rate(self, learning_rate: float) -> None:
        for optimizer in (self.d_optimizer, self.ge_optimizer):
            for group in optimizer.param_groups:
                group["lr"] = learning_rate

    def optimizer_state(self) -> dict:
        return {
            "discriminator": self.d_optimizer.state_dict(),
            "generator_encoder": self.ge_optimizer.state_dict(),
        }

    def sample_latent(self, n_samples: int):
        cfg = self.config
        z, labels = sample_codes(
            n_samples, cfg.latent_dim, cfg.n_clusters, cfg.sigma, self.rng, self.device
        )
        return z[:, : cfg.latent_dim], labels, z

    def critic_step(self, data: TrainingData, keep_fakes: bool = False) -> torch.Tensor:
        """One update of the discriminator on a fresh real batch and fresh fakes.

        ``keep_fakes``: G's forward pass keeps its graph, and the codes and fakes
        are kept for the next :meth:`generator_step`.
        """
        cfg = self.config
        idx = torch.randint(
            data.n_samples, (cfg.batch_size,), generator=self.rng, device=self.device
        )
        real = data.batch(idx)
        with self.autocast():
            codes = self.sample_latent(cfg.batch_size)
            with torch.set_grad_enabled(keep_fakes):
                generated = self.generator(codes[2])
            if keep_fakes:
                self._kept = (*codes, generated)
            fake = full_precision(generated.detach())
            d_real, d_fake, gp = critic_scores_with_penalty(
                self.discriminator,
                real,
                fake,
                self.rng,
                cfg.adversarial_loss == "wasserstein-gp",
                chain=self.critic_chain,
            )
            loss = critic_loss(d_real, d_fake, gp, cfg.adversarial_loss, cfg.gp_weight)
        self.d_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.d_optimizer.step()
        return loss.detach()

    def generator_step(self) -> torch.Tensor:
        """One joint update of G and E; returns (total, z_n loss, z_c loss)."""
        cfg = self.config
        kept, self._kept = self._kept, None
        z_n, labels, z = kept[:3] if kept is not None else self.sample_latent(cfg.batch_size)
        for p in self.d_params:
            p.requires_grad_(False)
        with self.autocast():
            fake = kept[3] if kept is not None else self.generator(z)
            enc_n, enc_logits = (full_precision(out) for out in self.encoder(fake))
            scores = full_precision(self.discriminator(fake))
            adv = generator_adversarial_loss(scores, cfg.adversarial_loss)
            zn_loss, zc_loss = latent_recovery_losses(z_n, labels, enc_n, enc_logits)
            loss = adv + cfg.beta_n * zn_loss + cfg.beta_c * zc_loss
        for p in self.d_params:
            p.requires_grad_(True)
        self.ge_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.ge_optimizer.step()
        return torch.stack([loss, zn_loss, zc_loss]).detach()

    def train_step(self, data: TrainingData, out: torch.Tensor) -> None:
        """One iteration; writes the four losses of :data:`HISTORY_KEYS` into ``out``."""
        n_critic = self.config.n_critic
        for i in range(n_critic):
            if self.config.reuse_fakes and i == n_critic - 1:
                d_loss = self.critic_step(data, keep_fakes=True)
            else:  # (overrides of critic_step written without keep_fakes still work)
                d_loss = self.critic_step(data)
        out[0] = d_loss
        out[1:] = self.generator_step()

    def autocast(self) -> contextlib.AbstractContextManager:
        """The forward passes' precision: bfloat16 autocast for ``"bf16-mixed"``.

        One region per forward pass, closed before the backward pass and the
        optimiser step: autocast caches the bfloat16 copies of the weights
        until its region ends, so a region spanning an update would run the
        next pass on the weights from before it.
        """
        if self.config.precision == "bf16-mixed":
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def fit(
        self,
        data: TrainingData,
        n_iter: int,
        verbose: int = 0,
        check_every: int = 50,
        offset: int = 0,
        schedule_span: tuple[int, int] | None = None,
    ) -> tuple[torch.Tensor, bool]:
        """Run ``n_iter`` iterations; returns (losses per completed iteration, interrupted).

        Losses are checked for NaN/inf every ``check_every`` iterations. Ctrl-C stops
        the loop at the end of the current iteration, leaving consistent networks.
        ``schedule_span=(start, total)``: these iterations are ``start, start + 1,
        ...`` of a run of ``total`` for the learning rate schedule (default
        ``(0, n_iter)``), so that a run split into several calls decays as one.
        """
        start, total = schedule_span or (0, n_iter)
        history = torch.zeros(n_iter, len(HISTORY_KEYS), device=self.device)
        self._set_train_mode(True)
        progress = _Progress(n_iter, offset, verbose)
        done = 0
        with _DeferredInterrupt() as interrupt, flush_denormals(self.device):
            for done in range(1, n_iter + 1):
                self.set_learning_rate(self.learning_rate_at(start + done - 1, total))
                self.train_step(data, history[done - 1])
                if done % check_every == 0 or done == n_iter:
                    _check_finite(history, done, check_every, offset)
                progress.update(done, history)
                if interrupt.requested:
                    break
        self._set_train_mode(False)
        return history[:done], interrupt.requested

    def _set_train_mode(self, mode: bool) -> None:
        for net in (self.generator, self.discriminator, self.encoder):
            net.train(mode)


def make_trainer(
    generator: nn.Module,
    discriminator: nn.Module,
    encoder: nn.Module,
    config: TrainingConfig,
    rng: torch.Generator,
    device: torch.device,
    optimizer_state: dict | None = None,
    compile: bool = False,
) -> Trainer:
    """The fastest :class:`Trainer` for these networks.

    The estimator's fully connected nets with the Wasserstein loss in float32 get
    :class:`~skclustergan._mlp_trainer.MlpTrainer` (backward passes written out,
    same mathematics), its steps compiled with ``torch.compile`` when
    ``compile``; any other networks or loss, the autograd steps (never compiled,
    with a warning when ``compile`` asked for it: the convolutional nets spend
    about 90% of an iteration in convolutions and large matrix products, which
    compiling would not speed up, and custom networks may differentiate twice).
    """
    from ._mlp_trainer import MlpTrainer, mlp_layout

    args = (generator, discriminator, encoder, config, rng, device, optimizer_state)
    layout = None
    if config.adversarial_loss == "wasserstein-gp" and config.precision == "float32":
        layout = mlp_layout(generator, discriminator, encoder)
    if layout is None:
        if compile:
            warnings.warn(
                "compile=True applies to the fully connected networks with "
                "adversarial_loss='wasserstein-gp' and precision='float32' only; "
                "these networks train uncompiled.",
                UserWarning,
                stacklevel=4,  # make_trainer, ClusterGAN._fit, fit / partial_fit, caller
            )
        return Trainer(*args)
    return MlpTrainer(*args, layout=layout, compile=compile)


def _check_finite(history: torch.Tensor, done: int, window: int, offset: int) -> None:
    recent = history[max(0, done - window) : done]
    if not bool(torch.isfinite(recent).all()):
        bad = int(torch.nonzero(~torch.isfinite(recent).all(dim=1))[0, 0]) + max(0, done - window)
        raise TrainingDivergedError(
            f"Training diverged: a loss became NaN or infinite at iteration {offset + bad + 1}. "
            "Try a smaller learning_rate, a larger gp_weight, or scaling='minmax' for data "
            "with very large values."
        )


class _Progress:
    """Prints iteration, losses, elapsed and estimated remaining time every ~2 s."""

    def __init__(self, n_iter: int, offset: int, verbose: int, interval: float = 2.0) -> None:
        self.n_iter, self.offset, self.verbose = n_iter, offset, verbose
        self.interval = interval / max(verbose, 1)
        self.start = self.last = time.perf_counter()

    def update(self, done: int, history: torch.Tensor) -> None:
        if not self.verbose:
            return
        now = time.perf_counter()
        if now - self.last < self.interval and done != self.n_iter:
            return
        self.last = now
        losses = history[done - 1].tolist()
        elapsed = now - self.start
        left = elapsed / done * (self.n_iter - done)
        parts = ", ".join(f"{k} {v:.4g}" for k, v in zip(HISTORY_KEYS, losses))
        print(
            f"[ClusterGAN] iter {self.offset + done}/{self.offset + self.n_iter}: {parts}; "
            f"elapsed {elapsed:.1f}s, left ~{left:.1f}s",
            flush=True,
        )


class _DeferredInterrupt:
    """Turn SIGINT into a flag for the duration of the block (main thread only)."""

    def __init__(self) -> None:
        self.requested = False
        self._previous = None

    def __enter__(self) -> _DeferredInterrupt:
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.signal(signal.SIGINT, self._handler)
            except ValueError:  # pragma: no cover - signals unavailable here
                self._previous = None
        return self

    def _handler(self, signum, frame) -> None:
        if self.requested:  # a second Ctrl-C aborts at once
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
