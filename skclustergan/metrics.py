"""External clustering metrics used to evaluate ClusterGAN.

The ClusterGAN paper reports clustering accuracy (ACC), normalised mutual
information (NMI) and the adjusted Rand index (ARI).  Two different "ACC"
definitions are in use in the literature:

* :func:`cluster_accuracy` -- accuracy under the best *one-to-one* matching
  of clusters to classes (Hungarian algorithm).  This is the usual
  definition of clustering accuracy.
* :func:`purity_score` -- every cluster is mapped to its majority class, so
  several clusters may map to the same class.  This is what the official
  ClusterGAN code computes as "ACC".  Purity is never smaller than the
  Hungarian accuracy.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.multiclass import type_of_target

__all__ = ["cluster_accuracy", "purity_score", "clustering_report"]


def _check_clusterings(
    labels_true: ArrayLike, labels_pred: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Validate two label vectors the way scikit-learn's clustering metrics do.

    This mirrors ``sklearn.metrics.cluster._supervised.check_clusterings``
    (which scikit-learn does not export publicly) and additionally rejects
    empty input, for which accuracy and purity are undefined.
    """
    labels_true = check_array(
        labels_true, ensure_2d=False, ensure_min_samples=0, dtype=None, input_name="labels_true"
    )
    labels_pred = check_array(
        labels_pred, ensure_2d=False, ensure_min_samples=0, dtype=None, input_name="labels_pred"
    )
    if labels_true.ndim != 1:
        raise ValueError(f"labels_true must be 1D: shape is {labels_true.shape!r}")
    if labels_pred.ndim != 1:
        raise ValueError(f"labels_pred must be 1D: shape is {labels_pred.shape!r}")
    check_consistent_length(labels_true, labels_pred)
    if labels_true.shape[0] == 0:
        raise ValueError("labels_true and labels_pred must not be empty.")
    if "continuous" in (type_of_target(labels_true), type_of_target(labels_pred)):
        warnings.warn(
            "Clustering metrics expect discrete labels but received continuous values.",
            UserWarning,
            stacklevel=3,
        )
    return labels_true, labels_pred


def _contingency(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """Validated dense contingency matrix of shape (n_classes, n_clusters)."""
    y_true, y_pred = _check_clusterings(y_true, y_pred)
    return np.asarray(contingency_matrix(y_true, y_pred))


def cluster_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Clustering accuracy under the best one-to-one cluster-to-class matching.

    Clusters are matched to classes with the Hungarian algorithm
    (:func:`scipy.optimize.linear_sum_assignment`) so that the number of
    correctly labelled samples is maximal; each class receives at most one
    cluster.  When there are more clusters than classes (or vice versa) the
    unmatched clusters count as wrong.  The score is invariant to any
    permutation of the cluster labels.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground-truth class labels.
    y_pred : array-like of shape (n_samples,)
        Cluster labels to evaluate.  The label values themselves are
        arbitrary.

    Returns
    -------
    accuracy : float
        Fraction of samples correctly labelled under the best matching, in
        ``[0, 1]``.

    Raises
    ------
    ValueError
        If the inputs are not 1-D, differ in length, or are empty.

    See Also
    --------
    purity_score : Many-to-one variant (each cluster takes its majority class).

    Examples
    --------
    >>> from skclustergan.metrics import cluster_accuracy
    >>> cluster_accuracy([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> cluster_accuracy([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 2, 2])
    0.6666666666666666
    """
    table = _contingency(y_true, y_pred)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / table.sum())


def purity_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Cluster purity: each cluster is labelled with its majority class.

    Several clusters may be assigned the same class, so purity is always at
    least :func:`cluster_accuracy` and reaches 1 trivially when every sample
    is its own cluster.  This is the "ACC" computed by the official
    ClusterGAN code.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground-truth class labels.
    y_pred : array-like of shape (n_samples,)
        Cluster labels to evaluate.

    Returns
    -------
    purity : float
        Fraction of samples whose class is the majority class of their
        cluster, in ``(0, 1]``.

    Raises
    ------
    ValueError
        If the inputs are not 1-D, differ in length, or are empty.

    See Also
    --------
    cluster_accuracy : One-to-one (Hungarian) variant.

    Examples
    --------
    >>> from skclustergan.metrics import purity_score
    >>> purity_score([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 2, 2])
    1.0
    >>> purity_score([0, 0, 1, 1], [0, 0, 0, 0])
    0.5
    """
    table = _contingency(y_true, y_pred)
    return float(table.max(axis=0).sum() / table.sum())


def clustering_report(y_true: ArrayLike, y_pred: ArrayLike) -> dict[str, float]:
    """Compute the standard external clustering metrics at once.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground-truth class labels.
    y_pred : array-like of shape (n_samples,)
        Cluster labels to evaluate.

    Returns
    -------
    report : dict of str to float
        ``"accuracy"`` (:func:`cluster_accuracy`), ``"purity"``
        (:func:`purity_score`), ``"nmi"``
        (:func:`sklearn.metrics.normalized_mutual_info_score`, arithmetic
        normalisation) and ``"ari"``
        (:func:`sklearn.metrics.adjusted_rand_score`).

    Raises
    ------
    ValueError
        If the inputs are not 1-D, differ in length, or are empty.

    Examples
    --------
    >>> from skclustergan.metrics import clustering_report
    >>> report = clustering_report([0, 0, 1, 1], [1, 1, 0, 0])
    >>> sorted(report)
    ['accuracy', 'ari', 'nmi', 'purity']
    >>> {name: round(value, 3) for name, value in report.items()}
    {'accuracy': 1.0, 'purity': 1.0, 'nmi': 1.0, 'ari': 1.0}
    """
    y_true, y_pred = _check_clusterings(y_true, y_pred)
    return {
        "accuracy": cluster_accuracy(y_true, y_pred),
        "purity": purity_score(y_true, y_pred),
        "nmi": float(normalized_mutual_info_score(y_true, y_pred)),
        "ari": float(adjusted_rand_score(y_true, y_pred)),
    }
