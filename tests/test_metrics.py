"""Tests for skclustergan.metrics."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from skclustergan.metrics import cluster_accuracy, clustering_report, purity_score

# Hand-computed example.  Contingency (classes x clusters):
#   class 0: [2, 2, 0]
#   class 1: [0, 0, 2]
# One-to-one: class 0 <- cluster 0 (2), class 1 <- cluster 2 (2)  -> 4/6.
# Majority per cluster: 2 + 2 + 2                                  -> 6/6.
Y_TRUE = [0, 0, 0, 0, 1, 1]
Y_PRED = [0, 0, 1, 1, 2, 2]


def test_accuracy_equals_one_for_perfect_clustering():
    y = [0, 1, 2, 2, 1, 0]
    assert cluster_accuracy(y, y) == 1.0
    assert purity_score(y, y) == 1.0


def test_accuracy_is_invariant_to_label_permutation():
    rng = np.random.RandomState(0)
    y_true = rng.randint(4, size=50)
    y_pred = rng.randint(4, size=50)
    permutation = np.array([2, 0, 3, 1])
    assert cluster_accuracy(y_true, permutation[y_pred]) == pytest.approx(
        cluster_accuracy(y_true, y_pred)
    )
    assert cluster_accuracy(y_true, permutation[y_true]) == 1.0


def test_accuracy_matches_hand_computed_example():
    assert cluster_accuracy(Y_TRUE, Y_PRED) == pytest.approx(4 / 6)


def test_purity_matches_hand_computed_example():
    assert purity_score(Y_TRUE, Y_PRED) == pytest.approx(1.0)


def test_purity_is_at_least_accuracy():
    rng = np.random.RandomState(1)
    for n_clusters in (2, 5, 8):
        y_true = rng.randint(5, size=100)
        y_pred = rng.randint(n_clusters, size=100)
        assert purity_score(y_true, y_pred) >= cluster_accuracy(y_true, y_pred)


def test_unmatched_clusters_count_as_wrong_when_more_clusters_than_classes():
    # Two classes, three clusters: cluster 2 cannot be matched.
    assert cluster_accuracy([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(3 / 4)


def test_fewer_clusters_than_classes_leaves_classes_unmatched():
    assert cluster_accuracy([0, 1, 2, 3], [0, 0, 0, 0]) == pytest.approx(1 / 4)
    assert purity_score([0, 1, 2, 3], [0, 0, 0, 0]) == pytest.approx(1 / 4)


def test_metrics_accept_string_labels():
    assert cluster_accuracy(["a", "a", "b"], ["x", "x", "y"]) == 1.0


def test_metrics_return_python_floats():
    assert type(cluster_accuracy(Y_TRUE, Y_PRED)) is float
    assert type(purity_score(Y_TRUE, Y_PRED)) is float


def test_report_contains_all_metrics_consistent_with_sklearn():
    report = clustering_report(Y_TRUE, Y_PRED)
    assert set(report) == {"accuracy", "purity", "nmi", "ari"}
    assert report["accuracy"] == pytest.approx(4 / 6)
    assert report["purity"] == pytest.approx(1.0)
    assert report["nmi"] == pytest.approx(normalized_mutual_info_score(Y_TRUE, Y_PRED))
    assert report["ari"] == pytest.approx(adjusted_rand_score(Y_TRUE, Y_PRED))


@pytest.mark.parametrize("metric", [cluster_accuracy, purity_score, clustering_report])
def test_length_mismatch_raises_value_error(metric):
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        metric([0, 1, 1], [0, 1])


@pytest.mark.parametrize("metric", [cluster_accuracy, purity_score, clustering_report])
def test_two_dimensional_labels_raise_value_error(metric):
    with pytest.raises(ValueError, match="labels_true must be 1D"):
        metric([[0, 1], [1, 0]], [0, 1])
    with pytest.raises(ValueError, match="labels_pred must be 1D"):
        metric([0, 1], [[0, 1], [1, 0]])


@pytest.mark.parametrize("metric", [cluster_accuracy, purity_score])
def test_empty_labels_raise_value_error(metric):
    with pytest.raises(ValueError, match="must not be empty"):
        metric([], [])


@pytest.mark.parametrize("metric", [cluster_accuracy, purity_score, clustering_report])
def test_nan_labels_raise_value_error_naming_the_argument(metric):
    with pytest.raises(ValueError, match="labels_true contains NaN"):
        metric([0.0, np.nan], [0, 1])
    with pytest.raises(ValueError, match="labels_pred contains NaN"):
        metric([0, 1], [0.0, np.nan])
