"""Minibatch access to the training data and chunked access for inference.

Dense in-memory arrays are copied once to the training device (already scaled),
and minibatches are gathered there by index. Sparse matrices and memory-mapped
arrays stay where they are: each minibatch or chunk is densified and scaled on
its own, so memory is bounded by the batch, not by the data.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp
import torch

# Dense arrays larger than this are streamed per minibatch instead of copied.
_MAX_IN_MEMORY_BYTES = 1 << 30


def mapped_file(X) -> mmap.mmap | None:
    """The ``mmap`` behind X when X is (a view of) a read-only or read-write ``np.memmap``.

    Copy-on-write maps (mode "c") are left alone: dropping their pages would
    discard the user's in-memory changes.
    """
    obj = X
    while obj is not None and not isinstance(obj, mmap.mmap):
        if isinstance(obj, np.memmap):
            mapping = getattr(obj, "_mmap", None)
            usable = obj.mode in ("r", "r+") and hasattr(mapping, "madvise")
            return mapping if usable else None
        obj = getattr(obj, "base", None)
    return None


def release_pages(X) -> None:
    """Drop the pages of a memory-mapped X from this process's resident set.

    The file's pages stay in the OS page cache (nothing is lost, a later read
    faults them back in), so reading a mapped file in chunks keeps the
    resident memory at about one chunk instead of growing to the file size.
    """
    mapping = mapped_file(X)
    if mapping is not None:
        try:
            mapping.madvise(mmap.MADV_DONTNEED)
        except (OSError, ValueError, AttributeError):  # closed map or no madvise here
            pass


def check_finite_chunked(X, chunk: int = 65536) -> None:
    """scikit-learn's NaN/inf check, one chunk at a time, releasing mapped pages."""
    from sklearn.utils import assert_all_finite

    for start in range(0, X.shape[0], chunk):
        assert_all_finite(X[start : start + chunk], input_name="X")
        release_pages(X)


class MinMaxScaling:
    """Affine map ``(x - shift) / scale`` into the training space of the networks."""

    def __init__(self, shift: np.ndarray, scale: np.ndarray) -> None:
        self.shift = np.asarray(shift, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        # float32 data is scaled in float32 unless x - shift could overflow there
        self.float32_safe = bool(
            np.abs(self.shift).max(initial=0) + self.scale.max(initial=0) < 1e37
        )

    def foldable(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(shift, scale)`` for folding into the first linear layer of a network
        (``x @ (W / scale).T + b - (W / scale) @ shift``), or None where that would
        cost precision. For x in the fitted range the folded product rounds at most
        about twice as far as the scaled one when no feature's offset exceeds its
        range (``|shift| <= scale``: pixels, counts, data around 0)."""
        near = bool(np.all(np.abs(self.shift) <= self.scale))
        moderate = bool(np.all((self.scale >= 1e-20) & (self.scale <= 1e20)))
        return (self.shift, self.scale) if near and moderate else None

    @classmethod
    def fit(cls, X, mode: str) -> MinMaxScaling:
        """Per-feature ("minmax"), whole-array ("global") or identity ("none") scaling.

        ``"auto"``: when the features share one scale (the median feature range
        is at least half the largest, as for pixels or pen coordinates), each
        feature is shifted by its minimum and all are divided by the largest
        range, so rarely used features of image-like data are not blown up to
        the full range; otherwise ``"minmax"``.
        """
        n_features = X.shape[1]
        if mode == "none":
            return cls(np.zeros(n_features), np.ones(n_features))
        if sp.issparse(X):
            from sklearn.utils.sparsefuncs import min_max_axis

            lo, hi = (np.asarray(v, dtype=np.float64) for v in min_max_axis(X, axis=0))
        else:
            lo, hi = _chunked_min_max(X)
        if mode == "auto":
            span = hi - lo
            if np.median(span) >= 0.5 * span.max():  # one shared scale, per-feature offsets
                return cls(lo, np.full(n_features, span.max() if span.max() > 0 else 1.0))
        if mode == "global":
            lo, hi = np.full(n_features, lo.min()), np.full(n_features, hi.max())
        span = hi - lo
        return cls(lo, np.where(span > 0, span, 1.0))

    def forward(self, chunk: np.ndarray, dtype: torch.dtype, device) -> torch.Tensor:
        # the affine map runs in the input's precision (float32 data stays float32)
        out = as_tensor(chunk, device)
        fast = out.dtype == torch.float32 and getattr(self, "float32_safe", False)
        work = torch.float32 if fast else torch.float64
        shift = torch.as_tensor(self.shift, device=device, dtype=work)
        scale = torch.as_tensor(self.scale, device=device, dtype=work)
        return (out.to(work) - shift).div_(scale).to(dtype)

    def inverse(self, x: np.ndarray) -> np.ndarray:
        return x * self.scale + self.shift


def as_tensor(chunk: np.ndarray, device) -> torch.Tensor:
    """``chunk`` as a tensor on ``device``, sharing memory where it can; read-only input
    (pandas, memmap mode 'r'), which torch warns about and must not write to, is copied."""
    return torch.as_tensor(np.require(chunk, requirements="W"), device=device)


def _chunked_min_max(X: np.ndarray, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    lo = np.full(X.shape[1], np.inf)
    hi = np.full(X.shape[1], -np.inf)
    for start in range(0, X.shape[0], chunk):
        block = X[start : start + chunk]
        lo = np.minimum(lo, block.min(axis=0))
        hi = np.maximum(hi, block.max(axis=0))
        release_pages(X)
    return lo, hi


def iter_chunks(X, chunk_size: int) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(start, dense_chunk)`` over the rows of a dense or sparse matrix."""
    for start in range(0, X.shape[0], chunk_size):
        block = X[start : start + chunk_size]
        yield start, (block.toarray() if sp.issparse(block) else block)
        release_pages(X)


class TrainingData:
    """Random minibatches of the scaled data, on the training device."""

    def __init__(
        self, X, scaling: MinMaxScaling, device: torch.device, memmap: bool = False
    ) -> None:
        self.n_samples = X.shape[0]
        self.device = device
        self.scaling = scaling
        if memmap or sp.issparse(X) or X.nbytes > _MAX_IN_MEMORY_BYTES:
            self.X, self.tensor = X, None
        else:
            self.X, self.tensor = None, scaling.forward(X, torch.float32, device)

    def batch(self, indices: torch.Tensor) -> torch.Tensor:
        """The rows ``indices`` of the scaled data as a float32 tensor."""
        if self.tensor is not None:
            return self.tensor.index_select(0, indices)
        rows = indices.cpu().numpy()
        order = np.argsort(rows, kind="stable")  # read in sorted order, return in given order
        block = self.X[rows[order]]
        block = (block.toarray() if sp.issparse(block) else block)[np.argsort(order)]
        # a fault maps whole (large) page-cache folios: release them after every batch
        release_pages(self.X)
        return self.scaling.forward(block, torch.float32, self.device)
