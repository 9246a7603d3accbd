"""A plain ClusterGAN training loop, written the obvious way, as a speed reference.

It performs the same computation as :class:`skclustergan._training.Trainer`
(and so ``ClusterGAN.fit``): per iteration ``n_critic`` WGAN-GP critic updates,
each on a fresh real minibatch and fresh fakes, then one joint update of the
generator G and the encoder E on

    -mean(D(G(z))) + beta_n * mean((z_n - E_n(G(z)))^2) + beta_c * CE(z_c, E_c(G(z))),

with the same networks (the builders of :mod:`skclustergan._networks` under the
same seed) and the same Adam settings (lr; betas, by default the paper's (0.5,
0.9)). What differs is only the way it is written, as in most published GAN code:

* minibatches come from a ``torch.utils.data.DataLoader`` (shuffle, drop_last)
  over a ``TensorDataset`` of the scaled data;
* the critic scores real, fake and interpolated samples in three separate
  passes; the gradient penalty uses ``torch.autograd.grad``;
* Adam is PyTorch's default implementation (neither fused nor foreach on CPU);
* every loss is logged with ``.item()`` at every step.

On a GPU (``device="cuda"``) it keeps the data in host memory, as such code
does: each DataLoader batch is copied to the device, and the prior and the
interpolation weights are drawn there.

As in the reference WGAN-GP code, the critic's parameters are frozen
(``requires_grad=False``) during the G+E update, so both loops do the same
arithmetic.

``fit(..., rng=generator)`` switches to a *matched* mode used by the tests: the
minibatch indices, the prior samples and the interpolation weights are drawn
from ``rng`` in the order of ``Trainer`` (critic step: indices, prior labels,
prior ``z_n``, interpolation weights; G+E step: prior labels, prior ``z_n``) and
the data tensor is indexed directly instead of going through the DataLoader.
The losses and parameters then agree with ``Trainer`` up to float rounding.

``reuse_fakes=True`` mirrors ``ClusterGAN(reuse_fakes=True)``: the last critic
step runs G with its graph kept, and the G+E step trains on those codes and
samples instead of drawing and generating new ones (it then draws nothing).

This file is a benchmark helper, not part of the package.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from skclustergan._networks import CONV_WIDTHS, build_conv_networks, build_mlp_networks

LOSS_KEYS = ("critic", "generator", "zn_recovery", "zc_recovery")


def estimator_seed(random_state: int) -> int:
    """The seed ``ClusterGAN(random_state=random_state).fit`` builds its networks with.

    ``fit`` draws ``base_seed = RandomState(random_state).randint(2**31 - 1)``,
    builds the networks under ``torch.manual_seed(base_seed)`` and seeds its
    training generator with ``base_seed`` (plus the iterations already run).
    """
    return int(np.random.RandomState(random_state).randint(np.iinfo(np.int32).max))


def build_networks(
    architecture: str,
    n_features: int,
    latent_dim: int,
    n_clusters: int,
    seed: int,
    hidden_layer_sizes: Sequence[int] = (256, 256),
    image_shape: tuple[int, int, int] | None = None,
    output_activation: str = "sigmoid",
):
    """G, D and E (E unwrapped: it outputs ``latent_dim + n_clusters`` numbers)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if architecture == "mlp":
            return build_mlp_networks(
                n_features, latent_dim, n_clusters, tuple(hidden_layer_sizes), output_activation
            )
        if architecture in CONV_WIDTHS:
            return build_conv_networks(
                image_shape, latent_dim, n_clusters, output_activation, CONV_WIDTHS[architecture]
            )
    raise ValueError(f"architecture must be 'mlp', 'conv' or 'conv-small', got {architecture!r}")


class ReferenceClusterGAN:
    """The ClusterGAN training loop of the paper, written plainly."""

    def __init__(
        self,
        generator: torch.nn.Module,
        discriminator: torch.nn.Module,
        encoder: torch.nn.Module,
        *,
        latent_dim: int,
        n_clusters: int,
        sigma: float = 0.1,
        beta_n: float = 10.0,
        beta_c: float = 10.0,
        gp_weight: float = 10.0,
        n_critic: int = 2,
        learning_rate: float = 2e-3,
        learning_rate_schedule: str = "constant",
        batch_size: int = 64,
        seed: int = 0,
        adam_betas: tuple[float, float] = (0.5, 0.9),
        device: torch.device | str = "cpu",
        reuse_fakes: bool = False,
    ) -> None:
        self.device = torch.device(device)
        self.generator, self.discriminator, self.encoder = (
            net.to(self.device) for net in (generator, discriminator, encoder)
        )
        self.latent_dim, self.n_clusters = latent_dim, n_clusters
        self.sigma, self.beta_n, self.beta_c = sigma, beta_n, beta_c
        self.gp_weight, self.n_critic = gp_weight, n_critic
        self.batch_size = batch_size
        self.reuse_fakes = reuse_fakes  # G+E train on the last critic step's z and G(z)
        self._kept = None
        self.optimizer_d = torch.optim.Adam(
            discriminator.parameters(), lr=learning_rate, betas=adam_betas
        )
        self.optimizer_ge = torch.optim.Adam(
            itertools.chain(generator.parameters(), encoder.parameters()),
            lr=learning_rate,
            betas=adam_betas,
        )
        if learning_rate_schedule not in ("constant", "linear"):
            raise ValueError(f"unknown learning_rate_schedule {learning_rate_schedule!r}")
        self.learning_rate_schedule = learning_rate_schedule
        self.seed = seed
        self._batches: Iterator[torch.Tensor] | None = None
        self._data_id: int | None = None
        self.log: list[dict[str, float]] = []

    # ------------------------------------------------------------ random draws
    def sample_prior(self, rng: torch.Generator):
        dev = rng.device
        labels = torch.randint(self.n_clusters, (self.batch_size,), generator=rng, device=dev)
        z_n = self.sigma * torch.randn(self.batch_size, self.latent_dim, generator=rng, device=dev)
        labels, z_n = labels.to(self.device), z_n.to(self.device)
        z_c = F.one_hot(labels, self.n_clusters).to(z_n.dtype)
        return torch.cat([z_n, z_c], dim=1), z_n, labels

    def _loader_batches(self, X: torch.Tensor) -> Iterator[torch.Tensor]:
        loader = DataLoader(
            TensorDataset(X),
            batch_size=self.batch_size,
            shuffle=True,
            drop_last=True,
            generator=torch.Generator().manual_seed(self.seed),
        )
        while True:  # epochs, one after another
            for (batch,) in loader:
                yield batch

    # ------------------------------------------------------------------- steps
    def critic_step(self, real: torch.Tensor, rng: torch.Generator, keep: bool = False) -> float:
        z, z_n, labels = self.sample_prior(rng)
        if keep:  # G's graph kept for the generator step
            generated = self.generator(z)
            self._kept = (z, z_n, labels, generated)
            fake = generated.detach()
        else:
            with torch.no_grad():
                fake = self.generator(z)
        eps = torch.rand(real.shape[0], 1, generator=rng, dtype=real.dtype, device=rng.device)
        eps = eps.to(self.device)
        interp = (eps * real + (1 - eps) * fake).requires_grad_(True)
        d_real = self.discriminator(real)
        d_fake = self.discriminator(fake)
        d_interp = self.discriminator(interp)
        (grad,) = torch.autograd.grad(
            d_interp, interp, grad_outputs=torch.ones_like(d_interp), create_graph=True
        )
        gradient_penalty = ((grad.norm(2, dim=1) - 1) ** 2).mean()
        loss = d_fake.mean() - d_real.mean() + self.gp_weight * gradient_penalty
        self.optimizer_d.zero_grad()
        loss.backward()
        self.optimizer_d.step()
        return loss.item()

    def generator_step(self, rng: torch.Generator) -> tuple[float, float, float]:
        if self._kept is not None:
            z, z_n, labels, fake = self._kept
            self._kept = None
        else:
            z, z_n, labels = self.sample_prior(rng)
            fake = self.generator(z)
        out = self.encoder(fake)
        enc_n, enc_logits = out[:, : self.latent_dim], out[:, self.latent_dim :]
        for p in self.discriminator.parameters():
            p.requires_grad = False
        adversarial = -self.discriminator(fake).mean()
        for p in self.discriminator.parameters():
            p.requires_grad = True
        zn_loss = F.mse_loss(enc_n, z_n)
        zc_loss = F.cross_entropy(enc_logits, labels)
        loss = adversarial + self.beta_n * zn_loss + self.beta_c * zc_loss
        self.optimizer_ge.zero_grad()
        loss.backward()
        self.optimizer_ge.step()
        return loss.item(), zn_loss.item(), zc_loss.item()

    # --------------------------------------------------------------------- fit
    def fit(self, X: torch.Tensor, n_iter: int, rng: torch.Generator | None = None) -> np.ndarray:
        """Run ``n_iter`` iterations on the scaled float32 data ``X``.

        Without ``rng``: DataLoader minibatches, prior and interpolation weights
        from a generator seeded with ``seed`` (successive calls continue the
        same epochs and random stream). With ``rng``: the matched mode described
        in the module docstring. Returns the losses, shape ``(n_iter, 4)`` in the
        order of :data:`LOSS_KEYS` (the critic loss of the last critic step).
        """
        matched = rng is not None
        if not matched:
            if self._batches is None or self._data_id != id(X):
                self._batches = self._loader_batches(X.cpu())  # batches move one by one
                self._data_id = id(X)
                self._rng = torch.Generator(device=self.device).manual_seed(self.seed + 1)
            rng = self._rng
        for net in (self.generator, self.discriminator, self.encoder):
            net.train()
        schedulers = []
        if self.learning_rate_schedule == "linear":  # from the initial rate towards 0
            schedulers = [
                torch.optim.lr_scheduler.LambdaLR(opt, lambda i: 1.0 - i / n_iter)
                for opt in (self.optimizer_d, self.optimizer_ge)
            ]
        losses = []
        for _ in range(n_iter):
            for step in range(self.n_critic):
                if matched:
                    idx = torch.randint(
                        X.shape[0], (self.batch_size,), generator=rng, device=rng.device
                    )
                    real = X[idx.to(X.device)].to(self.device)
                else:
                    real = next(self._batches).to(self.device)
                keep = self.reuse_fakes and step == self.n_critic - 1
                d_loss = self.critic_step(real, rng, keep)
                self.log.append({"critic": d_loss})
            g_loss, zn_loss, zc_loss = self.generator_step(rng)
            self.log.append({"generator": g_loss, "zn_recovery": zn_loss, "zc_recovery": zc_loss})
            losses.append((d_loss, g_loss, zn_loss, zc_loss))
            for scheduler in schedulers:
                scheduler.step()
        for net in (self.generator, self.discriminator, self.encoder):
            net.eval()
        return np.asarray(losses, dtype=np.float64).reshape(-1, len(LOSS_KEYS))
