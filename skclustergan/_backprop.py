"""Back-propagation decoding: infer the latent code of x by optimising G's input.

The paper's alternative to the encoder (its "back-propagation decoding"
baseline, from the official code): for each sample x, run one restart per
cluster k with ``z_c`` fixed to the one-hot ``e_k``, and minimise over ``z_n``

    mean_j |x_j - G(z_n, e_k)_j| + penalty * mean_i z_n,i^2

with Adam, clipping ``z_n`` to ``[-clip, clip]`` after each step; the restart
with the lowest final loss gives the cluster and the code of x.

All restarts of all samples of a batch are optimised together as one batch of
``n_samples * n_clusters`` codes. The loss is summed over codes, so each code
receives exactly the gradient of its own loss, and Adam (whose state is
element-wise) updates each code as if it were optimised alone. G is run in
evaluation mode and differentiated with respect to the codes only: its
parameters receive no gradient and are never changed.
"""

from __future__ import annotations

from numbers import Real

import torch

from ._generative import eval_mode, model_dtype

INIT_METHODS = ("encoder", "zeros", "random")
PREDICT_METHODS = ("argmax", "backprop", "nearest", "propagate")
TRANSFORM_METHODS = ("argmax", "backprop")


def check_method(method: str, name: str = "method", caller: str = "predict") -> str:
    """Validate the ``method`` keyword of ``predict`` / ``transform``."""
    allowed = PREDICT_METHODS if caller == "predict" else TRANSFORM_METHODS
    if not isinstance(method, str) or method not in allowed:
        raise ValueError(
            f"The '{name}' parameter of ClusterGAN.{caller} must be one of "
            f"{allowed}. Got {method!r} instead."
        )
    return method


def check_init(init: str) -> str:
    """Validate the ``init`` keyword of ``decode``."""
    if not isinstance(init, str) or init not in INIT_METHODS:
        raise ValueError(
            f"The 'init' parameter of ClusterGAN.decode must be one of {INIT_METHODS}. "
            f"Got {init!r} instead."
        )
    return init


def check_learning_rate(learning_rate: float) -> float:
    """Validate a positive, finite learning rate."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, Real):
        raise TypeError(
            "The 'learning_rate' parameter of ClusterGAN.decode must be a positive float. "
            f"Got {learning_rate!r} of type {type(learning_rate).__name__} instead."
        )
    if not 0 < float(learning_rate) < float("inf"):
        raise ValueError(
            "The 'learning_rate' parameter of ClusterGAN.decode must be a positive, finite "
            f"float. Got {learning_rate!r} instead."
        )
    return float(learning_rate)


def restart_codes(
    n_samples: int,
    n_clusters: int,
    init_z_n: torch.Tensor | None,
    latent_dim: int,
    like: torch.Tensor,
) -> torch.Tensor:
    """Initial ``z_n`` of shape ``(n_samples * n_clusters, latent_dim)``, sample-major.

    ``init_z_n`` is None (zeros), ``(n_samples, latent_dim)`` (shared by the
    restarts of a sample) or ``(n_samples, n_clusters, latent_dim)``.
    """
    if init_z_n is None:
        return like.new_zeros(n_samples * n_clusters, latent_dim)
    init = init_z_n.to(device=like.device, dtype=like.dtype)
    if init.shape == (n_samples, latent_dim):
        return init.repeat_interleave(n_clusters, dim=0)
    if init.shape == (n_samples, n_clusters, latent_dim):
        return init.reshape(n_samples * n_clusters, latent_dim)
    raise ValueError(
        f"init_z_n must have shape ({n_samples}, {latent_dim}) or ({n_samples}, "
        f"{n_clusters}, {latent_dim}); got {tuple(init.shape)}."
    )


def code_losses(
    generator: torch.nn.Module,
    x: torch.Tensor,
    z_n: torch.Tensor,
    z_c: torch.Tensor,
    penalty: float,
) -> torch.Tensor:
    """Per-code loss ``mean|x - G(z)| + penalty * mean(z_n^2)``, shape ``(n_codes,)``."""
    recon = (x - generator(torch.cat([z_n, z_c], dim=1))).abs().mean(dim=1)
    return recon + penalty * z_n.square().mean(dim=1)


def _optimise(generator, x, z_n, z_c, *, n_steps, learning_rate, clip, penalty):
    """Adam on ``z_n`` only; returns the final codes and their losses."""
    z_n.requires_grad_(True)
    optimizer = torch.optim.Adam([z_n], lr=learning_rate)
    for _ in range(n_steps):
        loss = code_losses(generator, x, z_n, z_c, penalty).sum()
        (z_n.grad,) = torch.autograd.grad(loss, [z_n])
        optimizer.step()
        if clip is not None:
            with torch.no_grad():
                z_n.clamp_(-clip, clip)
    z_n = z_n.detach()
    with torch.no_grad():
        return z_n, code_losses(generator, x, z_n, z_c, penalty)


def _decode_batch(generator, x, init_z_n, n_clusters, latent_dim, options):
    n = x.shape[0]
    x_rep = x.repeat_interleave(n_clusters, dim=0)
    z_c = torch.eye(n_clusters, dtype=x.dtype, device=x.device).repeat(n, 1)
    z_n = restart_codes(n, n_clusters, init_z_n, latent_dim, x).clone()
    if options["clip"] is not None:
        z_n.clamp_(-options["clip"], options["clip"])
    z_n, losses = _optimise(generator, x_rep, z_n, z_c, **options)
    losses = losses.reshape(n, n_clusters)
    best_loss, labels = losses.min(dim=1)
    rows = torch.arange(n, device=x.device) * n_clusters + labels
    return z_n[rows], labels, best_loss


def backprop_decode(
    generator: torch.nn.Module,
    X_scaled: torch.Tensor,
    n_clusters: int,
    latent_dim: int,
    *,
    n_steps: int = 500,
    learning_rate: float = 0.01,
    clip: float | None = 0.6,
    penalty: float = 10.0,
    init_z_n: torch.Tensor | None = None,
    max_codes: int = 16384,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Infer ``(z_n, cluster)`` of each row of ``X_scaled`` by optimising G's input.

    Parameters
    ----------
    generator : torch.nn.Module
        The generator, mapping ``(n, latent_dim + n_clusters)`` to the scaled
        space. It is run in evaluation mode (its mode is restored afterwards)
        and its parameters get no gradient.

    X_scaled : torch.Tensor of shape (n_samples, n_features)
        Samples in the generator's (scaled) space, on the generator's device.

    n_clusters : int
        Number of clusters K; one restart per cluster and sample.

    latent_dim : int
        Dimension of ``z_n``.

    n_steps : int, default=500
        Adam steps per restart (the official code uses 5000). 0 only evaluates
        the initial codes.

    learning_rate : float, default=0.01
        Adam learning rate (the official value).

    clip : float or None, default=0.6
        ``z_n`` is clipped to ``[-clip, clip]`` initially and after each step
        (official: 0.6, six standard deviations of the prior with sigma 0.1).

    penalty : float, default=10.0
        Weight of ``mean(z_n^2)`` (official: 10).

    init_z_n : torch.Tensor, default=None
        Initial ``z_n``: ``(n_samples, latent_dim)`` shared by the K restarts of a
        sample, or ``(n_samples, n_clusters, latent_dim)``; None means zeros.

    max_codes : int, default=16384
        At most this many codes (samples times K) are optimised at once; X is
        processed in batches of ``max_codes // K`` samples to bound memory.

    Returns
    -------
    z_n : torch.Tensor of shape (n_samples, latent_dim)
        Code of the best restart of each sample.

    labels : torch.Tensor of shape (n_samples,)
        Cluster of the best restart (int64).

    loss : torch.Tensor of shape (n_samples,)
        Final loss of the best restart.

    Examples
    --------
    >>> import torch
    >>> from skclustergan._backprop import backprop_decode
    >>> G = torch.nn.Linear(2 + 3, 4)
    >>> X = torch.rand(5, 4)
    >>> z_n, labels, loss = backprop_decode(G, X, n_clusters=3, latent_dim=2, n_steps=10)
    >>> z_n.shape, labels.shape, loss.shape
    (torch.Size([5, 2]), torch.Size([5]), torch.Size([5]))
    """
    dtype = model_dtype(generator)
    options = dict(
        n_steps=int(n_steps), learning_rate=float(learning_rate), clip=clip, penalty=penalty
    )
    batch = max(1, int(max_codes) // n_clusters)
    outputs = []
    with eval_mode(generator), torch.inference_mode(False), torch.enable_grad():
        x_all = X_scaled.detach().to(dtype).clone()
        init_all = None if init_z_n is None else init_z_n.detach().clone()
        for start in range(0, x_all.shape[0], batch):
            init = None if init_all is None else init_all[start : start + batch]
            outputs.append(
                _decode_batch(
                    generator, x_all[start : start + batch], init, n_clusters, latent_dim, options
                )
            )
    z_n, labels, loss = (torch.cat(parts) for parts in zip(*outputs))
    return z_n, labels, loss


def initial_codes(
    encoder: torch.nn.Module,
    x: torch.Tensor,
    init: str,
    n_clusters: int,
    sigma: float,
    rng: torch.Generator,
) -> torch.Tensor | None:
    """Initial ``z_n`` for :func:`backprop_decode` from the ``init`` option of ``decode``.

    ``"encoder"``: the encoder's ``E_n(x)`` for every restart; ``"zeros"``: the
    prior's mode; ``"random"``: an independent ``N(0, sigma^2)`` draw per restart
    (as in the official code), from the CPU generator ``rng``.
    """
    if init == "zeros":
        return None
    if init == "random":
        shape = (x.shape[0], n_clusters, encoder.latent_dim)
        return (sigma * torch.randn(shape, generator=rng)).to(x.device)
    with eval_mode(encoder), torch.inference_mode():
        return encoder(x.to(model_dtype(encoder)))[0]
