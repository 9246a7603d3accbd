"""Confidence propagation read-out: log_confidence, confident_rows and predict(method="propagate")."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import log_softmax

from skclustergan import ClusterGAN
from skclustergan import _estimator as estimator_module
from skclustergan._propagate import KEEP_FRACTION, N_NEIGHBORS, confident_rows, log_confidence
from skclustergan.metrics import cluster_accuracy


# ------------------------------------------------------------- log_confidence
def test_log_confidence_is_the_log_probability_of_the_argmax():
    logits = np.random.default_rng(0).normal(size=(50, 4)) * 3
    labels, confidence = log_confidence(logits)
    np.testing.assert_array_equal(labels, logits.argmax(1))
    np.testing.assert_allclose(confidence, log_softmax(logits, axis=1).max(1), rtol=1e-12)


def test_log_confidence_keeps_rows_ordered_where_the_probability_rounds_to_one():
    # margins of 40, 50 and 60: softmax gives probability 1.0 to all three in float64
    logits = np.array([[40.0, 0.0], [50.0, 0.0], [0.0, 60.0]])
    labels, confidence = log_confidence(logits)
    np.testing.assert_array_equal(labels, [0, 0, 1])
    assert confidence[0] < confidence[1] < confidence[2] < 0


# ------------------------------------------------------------- confident_rows
def test_confident_rows_keeps_the_most_confident_half_of_each_cluster():
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 2])
    confidence = np.array([-0.1, -0.5, -0.05, -0.9, -0.2, -0.3, -0.01, -3.0])
    keep = confident_rows(labels, confidence, n_clusters=4)
    # cluster 0: the 2 best of 4; cluster 1: round(1.5) = 2 of 3; cluster 2: at least one
    np.testing.assert_array_equal(keep, [True, False, True, False, True, False, True, True])


def test_confident_rows_breaks_ties_towards_the_earlier_row():
    labels = np.zeros(6, dtype=int)
    keep = confident_rows(labels, np.zeros(6), n_clusters=1, fraction=0.5)
    np.testing.assert_array_equal(keep, [True, True, True, False, False, False])


# ------------------------------------------------- predict(method="propagate")
@pytest.fixture(scope="module")
def line_model():
    """A fitted model on one feature in [0, 10]: its scaled space is x / 10."""
    X = np.linspace(0.0, 10.0, 40)[:, None]
    return ClusterGAN(
        n_clusters=2, latent_dim=1, hidden_layer_sizes=(8,), max_iter=3, scaling="minmax",
        device="cpu", random_state=0,
    ).fit(X)  # fmt: skip


def with_logits(model, monkeypatch, logits):
    """Make ``model``'s encoder return ``logits`` to the read-outs that use ``_encode``."""
    monkeypatch.setattr(model, "_encode", lambda X, heads="nc": (None, np.asarray(logits)))


def test_predict_propagate_relabels_unsure_rows_by_their_confident_neighbours(
    line_model, monkeypatch
):
    # two groups on a line; the encoder is sure of most rows and wrong, unsure, on three
    X = np.concatenate([np.linspace(0, 2, 12), np.linspace(8, 10, 12)])[:, None]
    truth = np.repeat([0, 1], 12)
    logits = np.zeros((24, 2))
    logits[np.arange(24), truth] = 5.0 + np.arange(24) % 5  # confident and right
    for row in (3, 7, 20):  # unsure and wrong
        logits[row] = 0.0
        logits[row, 1 - truth[row]] = 0.1
    with_logits(line_model, monkeypatch, logits)
    assert (logits.argmax(1) != truth).sum() == 3
    np.testing.assert_array_equal(line_model.predict(X, method="propagate"), truth)


def reference_propagation(scaled, logits, fraction=KEEP_FRACTION, k=N_NEIGHBORS):
    """The rule written out row by row with numpy."""
    labels = logits.argmax(1)
    confidence = log_softmax(logits.astype(np.float64), axis=1).max(1)
    keep = np.zeros(len(labels), dtype=bool)
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        rows = rows[np.argsort(-confidence[rows], kind="stable")]
        keep[rows[: max(1, round(fraction * len(rows)))]] = True
    out = labels.copy()
    kept = np.flatnonzero(keep)
    for i in np.flatnonzero(~keep):
        d = ((scaled[kept] - scaled[i]) ** 2).sum(1)
        near = kept[np.argsort(d, kind="stable")[: min(k, len(kept))]]
        votes = np.bincount(labels[near], minlength=logits.shape[1]).astype(float)
        votes[labels[near[0]]] += 0.5  # a tie goes to the nearest kept row
        out[i] = votes.argmax()
    return out


def test_predict_propagate_matches_the_rule_written_out(fitted_2d, blobs_2d, monkeypatch):
    X = blobs_2d[0][:150]
    logits = np.random.default_rng(1).normal(size=(150, 3))  # a poor encoder: many changes
    with_logits(fitted_2d, monkeypatch, logits)
    scaled = fitted_2d.scaling_.forward(X, estimator_module.torch.float64, "cpu").numpy()
    expected = reference_propagation(scaled, logits)
    assert (expected != logits.argmax(1)).sum() > 20
    labels = fitted_2d.predict(X, method="propagate")
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, expected)
    # the same in blocks of 7 rows, and from sparse input
    monkeypatch.setattr(estimator_module, "_INFERENCE_CHUNK", 7)
    np.testing.assert_array_equal(fitted_2d.predict(X, method="propagate"), expected)
    np.testing.assert_array_equal(fitted_2d.predict(sp.csr_matrix(X), method="propagate"), expected)


def test_predict_propagate_keeps_the_argmax_of_a_single_row(fitted_2d, blobs_2d):
    X = blobs_2d[0][:1]
    np.testing.assert_array_equal(fitted_2d.predict(X, method="propagate"), fitted_2d.predict(X))


def test_predict_propagate_repairs_the_encoder_on_separated_blobs(fitted_2d, blobs_2d):
    # this short fit's encoder misreads a few rows at the blobs' edges (argmax 0.993 here);
    # their confident neighbours read them right
    X, y = blobs_2d
    argmax, propagated = fitted_2d.predict(X), fitted_2d.predict(X, method="propagate")
    assert cluster_accuracy(y, propagated) >= max(cluster_accuracy(y, argmax), 0.99)
    assert (propagated != argmax).sum() <= 5


def test_predict_propagate_is_deterministic_and_leaves_the_input_untouched(fitted_2d, blobs_2d):
    X = blobs_2d[0][:90].copy()
    before = X.copy()
    labels = fitted_2d.predict(X, method="propagate")
    np.testing.assert_array_equal(fitted_2d.predict(X, method="propagate"), labels)
    np.testing.assert_array_equal(X, before)


def test_predict_rejects_an_unknown_method_listing_propagate(fitted_2d, blobs_2d):
    with pytest.raises(ValueError, match=r"'method'.*ClusterGAN\.predict.*'propagate'.*'spread'"):
        fitted_2d.predict(blobs_2d[0][:5], method="spread")


def test_predict_propagate_rejects_data_with_the_wrong_number_of_features(fitted_2d):
    with pytest.raises(ValueError, match="3 features"):
        fitted_2d.predict(np.zeros((4, 3)), method="propagate")
