"""Confidence propagation read-out: the encoder's labels where it is most sure, spread to the rest.

``predict(X, method="propagate")`` labels a data set as a whole. Within each of
the encoder's clusters (its argmax on X), the half of the rows it is most
confident about (the highest probability of their cluster) keep their label;
every other row gets the majority cluster of its ``n_neighbors`` nearest kept
rows (squared Euclidean distance in the scaled space that G generates in; a tie
goes to the nearest kept row's cluster). The encoder is trained only on
generated samples, and its mistakes on real data sit mostly where it is least
sure; the nearest confident real rows read those rows instead.

The result depends on the whole of X: a row's cluster can change with the rows
beside it, and a single row keeps its argmax. It costs one distance matrix
between the rows not kept and the kept ones, ``n^2 / 4`` distances for ``n``
rows, computed in blocks of bounded memory.
"""

from __future__ import annotations

import numpy as np
import torch

from ._nearest import nearest_vote

#: Fraction of each cluster's rows that keep the encoder's label (at least one row).
KEEP_FRACTION = 0.5
#: Kept rows that vote for each of the others (fewer when fewer are kept).
N_NEIGHBORS = 10


def log_confidence(logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The argmax of each row of ``logits`` and the log-probability softmax gives it.

    Computed as ``-log1p(sum_{j != top} exp(l_j - l_top))`` in float64, which stays
    ordered where the probability itself rounds to 1 (logit margins beyond ~37).
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = logits.argmax(axis=1)
    top = np.take_along_axis(logits, labels[:, None], axis=1)
    rest = np.exp(logits - top)
    np.put_along_axis(rest, labels[:, None], 0.0, axis=1)
    return labels, -np.log1p(rest.sum(axis=1))


def confident_rows(
    labels: np.ndarray, confidence: np.ndarray, n_clusters: int, fraction: float = KEEP_FRACTION
) -> np.ndarray:
    """Mask of the ``max(1, round(fraction * n_k))`` most confident rows of each cluster.

    Ties in ``confidence`` go to the earlier row, so the mask is deterministic.
    """
    keep = np.zeros(len(labels), dtype=bool)
    order = np.lexsort((-confidence, labels))  # by cluster, then most confident first
    sizes = np.bincount(labels, minlength=n_clusters)
    start = 0
    for size in sizes:
        if size:
            n_keep = max(1, round(fraction * size))
            keep[order[start : start + n_keep]] = True
        start += size
    return keep


def propagate_labels(
    kept: torch.Tensor,
    kept_labels: torch.Tensor,
    others: torch.Tensor,
    n_clusters: int,
    n_neighbors: int = N_NEIGHBORS,
) -> torch.Tensor:
    """The majority cluster of the nearest ``kept`` rows of each row of ``others``."""
    return nearest_vote(kept, kept_labels, others, n_clusters, min(n_neighbors, len(kept)))
