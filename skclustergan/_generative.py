"""Generation from a fitted ClusterGAN: prior samples and cross-category interpolation.

The generator G maps a latent code ``z = (z_n, z_c)`` to the scaled data space;
the helpers here build such codes, decode them in evaluation mode (BatchNorm uses
its running statistics, so each sample is decoded independently of the others)
and map the result back to the input space.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import torch
from sklearn.utils.validation import check_random_state

from ._data import MinMaxScaling
from ._prior import sample_codes
from ._validation import check_random_state_argument

_DECODE_CHUNK = 8192


def check_int(value, name: str, minimum: int, method: str) -> int:
    """Return ``value`` as an int, or raise naming the parameter and the value."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
        raise TypeError(
            f"The '{name}' parameter of ClusterGAN.{method} must be an int >= {minimum}. "
            f"Got {value!r} of type {type(value).__name__} instead."
        )
    if value < minimum:
        raise ValueError(
            f"The '{name}' parameter of ClusterGAN.{method} must be an int >= {minimum}. "
            f"Got {value!r} instead."
        )
    return int(value)


def check_cluster_index(value, name: str, n_clusters: int, method: str) -> int:
    """Return one cluster index in ``[0, n_clusters)``."""
    value = check_int(value, name, 0, method)
    if value >= n_clusters:
        raise ValueError(
            f"The '{name}' parameter of ClusterGAN.{method} must be a cluster index in "
            f"[0, {n_clusters}). Got {value!r} instead."
        )
    return value


def check_cluster_ids(cluster, n_samples: int, n_clusters: int) -> np.ndarray | None:
    """Validate the ``cluster`` argument of ``sample``: None, one index, or one per sample."""
    if cluster is None:
        return None
    if isinstance(cluster, np.ndarray) and cluster.ndim == 0:
        cluster = cluster.item()
    if np.ndim(cluster) == 0:
        index = check_cluster_index(cluster, "cluster", n_clusters, "sample")
        return np.full(n_samples, index, dtype=np.int64)
    ids = np.asarray(cluster)
    if ids.dtype.kind not in "iu":
        raise TypeError(
            "The 'cluster' parameter of ClusterGAN.sample must be None, an int or an "
            f"array of ints. Got an array of dtype {ids.dtype} instead."
        )
    if ids.shape != (n_samples,):
        raise ValueError(
            "The 'cluster' parameter of ClusterGAN.sample must have shape "
            f"(n_samples,) = ({n_samples},). Got shape {ids.shape} instead."
        )
    bad = ids[(ids < 0) | (ids >= n_clusters)]
    if bad.size:
        raise ValueError(
            f"The 'cluster' parameter of ClusterGAN.sample must hold cluster indices in "
            f"[0, {n_clusters}). Got {bad[0]!r} instead."
        )
    return ids.astype(np.int64)


def torch_generator(random_state, method: str) -> torch.Generator:
    """A CPU ``torch.Generator`` seeded from sklearn's ``check_random_state``.

    ``method`` names the public method whose ``random_state`` argument this is.
    """
    check_random_state_argument(random_state, f"ClusterGAN.{method}")
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return torch.Generator().manual_seed(int(seed))


def prior_codes(
    n_samples: int,
    latent_dim: int,
    n_clusters: int,
    sigma: float,
    random_state,
    labels: np.ndarray | None = None,
) -> tuple[torch.Tensor, np.ndarray]:
    """Draw ``n_samples`` latent codes ``[z_n, z_c]`` (on the CPU) and their clusters.

    The draws are made on the CPU, so a given ``random_state`` gives the same codes
    whatever device the model lives on.
    """
    rng = torch_generator(random_state, "sample")
    fixed = None if labels is None else torch.as_tensor(labels, dtype=torch.long)
    z, drawn = sample_codes(n_samples, latent_dim, n_clusters, sigma, rng, "cpu", labels=fixed)
    return z, drawn.numpy().astype(np.int64)


def check_z_n(z_n, latent_dim: int) -> torch.Tensor:
    """Validate a user-given continuous code of shape ``(latent_dim,)``."""
    try:
        array = np.asarray(z_n, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "The 'z_n' parameter of ClusterGAN.interpolate must be None or an array of "
            f"shape ({latent_dim},). Got {z_n!r} instead."
        ) from None
    if array.shape != (latent_dim,):
        raise ValueError(
            "The 'z_n' parameter of ClusterGAN.interpolate must have shape "
            f"(latent_dim,) = ({latent_dim},). Got shape {array.shape} instead."
        )
    if not np.isfinite(array).all():
        raise ValueError("The 'z_n' parameter of ClusterGAN.interpolate must be finite.")
    return torch.as_tensor(array, dtype=torch.float32)


def interpolation_codes(
    z_n: torch.Tensor, cluster_from: int, cluster_to: int, n_steps: int, n_clusters: int
) -> torch.Tensor:
    """Codes with a fixed ``z_n`` and ``z_c`` moving linearly between two one-hots."""
    t = torch.linspace(0.0, 1.0, n_steps).unsqueeze(1)
    eye = torch.eye(n_clusters)
    z_c = (1.0 - t) * eye[cluster_from] + t * eye[cluster_to]
    return torch.cat([z_n.expand(n_steps, -1), z_c], dim=1)


@contextmanager
def eval_mode(module: torch.nn.Module) -> Iterator[torch.nn.Module]:
    """Put ``module`` in evaluation mode for the block, then restore its mode."""
    was_training = module.training
    module.eval()
    try:
        yield module
    finally:
        module.train(was_training)


def model_dtype(module: torch.nn.Module) -> torch.dtype:
    param = next(module.parameters(), None)
    return torch.float32 if param is None else param.dtype


def generate(
    generator: torch.nn.Module,
    z: torch.Tensor,
    scaling: MinMaxScaling,
    device: torch.device,
    chunk_size: int = _DECODE_CHUNK,
) -> np.ndarray:
    """Decode latent codes ``z`` with G and map them back to the input space (float64)."""
    return scaling.inverse(decode_scaled(generator, z, device, chunk_size).double().cpu().numpy())


def decode_scaled(
    generator: torch.nn.Module,
    z: torch.Tensor,
    device: torch.device,
    chunk_size: int = _DECODE_CHUNK,
) -> torch.Tensor:
    """Decode latent codes ``z`` with G in evaluation mode, in chunks: G's output in the
    scaled space, on ``device``, in G's dtype."""
    dtype = model_dtype(generator)
    parts = []
    with eval_mode(generator), torch.inference_mode():
        for chunk in z.split(chunk_size):
            parts.append(generator(chunk.to(device=device, dtype=dtype)))
    return torch.cat(parts)
