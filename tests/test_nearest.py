"""Nearest-generated-sample read-out: nearest_vote, generated_bank and predict(method="nearest")."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.metrics import adjusted_rand_score

from skclustergan import _nearest
from skclustergan._nearest import bank_size, generated_bank, nearest_vote


# --------------------------------------------------------------- nearest_vote
def line_bank():
    """Bank rows on a line: cluster 0 at 0..4, cluster 1 at 10..14, cluster 2 at 20."""
    points = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20]
    labels = [0] * 5 + [1] * 5 + [2]
    return torch.tensor(points, dtype=torch.float32)[:, None], torch.tensor(labels)


def test_nearest_vote_gives_the_majority_cluster_of_the_nearest_bank_rows():
    bank, labels = line_bank()
    x = torch.tensor([[0.5], [12.0], [19.0], [5.8]])
    # 19: the nearest three are 20 (c2), 14 and 13 (c1): c1 by majority, though c2 is nearest
    np.testing.assert_array_equal(nearest_vote(bank, labels, x, 3, n_neighbors=3), [0, 1, 1, 0])
    np.testing.assert_array_equal(nearest_vote(bank, labels, x, 3, n_neighbors=1), [0, 1, 2, 0])


def test_nearest_vote_breaks_a_tie_towards_the_nearest_bank_row():
    bank, labels = line_bank()
    # one vote each for 14 (c1) and 20 (c2); 16.99 is nearer 14, 17.01 nearer 20
    x = torch.tensor([[16.99], [17.01]])
    np.testing.assert_array_equal(nearest_vote(bank, labels, x, 3, n_neighbors=2), [1, 2])


def test_nearest_vote_does_not_depend_on_the_block_size(monkeypatch):
    gen = torch.Generator().manual_seed(0)
    bank, x = torch.randn(300, 5, generator=gen), torch.randn(257, 5, generator=gen)
    labels = torch.randint(4, (300,), generator=gen)
    whole = nearest_vote(bank, labels, x, 4)
    monkeypatch.setattr(_nearest, "_BLOCK_ENTRIES", 300 * 7)  # blocks of 7 rows
    np.testing.assert_array_equal(nearest_vote(bank, labels, x, 4), whole)


def test_bank_size_caps_the_bank_and_keeps_enough_rows_for_the_vote():
    assert bank_size(10) == _nearest.PER_CLUSTER
    assert bank_size(100) * 100 <= _nearest.MAX_BANK_ROWS
    assert bank_size(100_000) == _nearest.N_NEIGHBORS


# -------------------------------------------------------------- generated_bank
def test_generated_bank_is_the_generator_output_of_prior_codes_per_cluster(fitted_2d):
    bank, labels = generated_bank(fitted_2d.generator_, 2, 3, 0.1, torch.device("cpu"), 50)
    assert bank.shape == (150, 2) and bank.dtype == torch.float32
    np.testing.assert_array_equal(labels, np.repeat([0, 1, 2], 50))
    # the scaled bank mapped back to the input space is what sample() draws per cluster
    for k in range(3):
        drawn = fitted_2d.sample(2000, cluster=k, random_state=0)[0]
        mapped = fitted_2d.scaling_.inverse(bank[labels == k].double().numpy())
        np.testing.assert_allclose(mapped.mean(0), drawn.mean(0), atol=0.2)


def test_generated_bank_leaves_the_generator_untouched_and_in_its_mode(fitted_2d):
    generator = fitted_2d.generator_
    before = {k: v.clone() for k, v in generator.state_dict().items()}
    generator.train()
    try:
        generated_bank(generator, 2, 3, 0.1, torch.device("cpu"), 20)
        assert generator.training
    finally:
        generator.eval()
    for key, value in generator.state_dict().items():
        torch.testing.assert_close(value, before[key])


# ------------------------------------------------------ predict(method="nearest")
def test_predict_nearest_reads_the_generator_clusters_of_its_own_samples(fitted_2d):
    X, clusters = fitted_2d.sample(300, random_state=1)
    labels = fitted_2d.predict(X, method="nearest")
    assert labels.dtype == np.int64 and labels.shape == (300,)
    assert (labels == clusters).mean() >= 0.95


def test_predict_nearest_agrees_with_the_encoder_on_separated_blobs(fitted_2d, blobs_2d):
    X = blobs_2d[0]
    assert adjusted_rand_score(fitted_2d.predict(X), fitted_2d.predict(X, method="nearest")) > 0.95


def test_predict_nearest_is_deterministic_for_dense_sparse_and_float32_input(fitted_2d, blobs_2d):
    X = blobs_2d[0][:80]
    labels = fitted_2d.predict(X, method="nearest")
    np.testing.assert_array_equal(fitted_2d.predict(X, method="nearest"), labels)
    np.testing.assert_array_equal(fitted_2d.predict(sp.csr_matrix(X), method="nearest"), labels)
    np.testing.assert_array_equal(
        fitted_2d.predict(X.astype(np.float32), method="nearest"), labels
    )


def test_transform_rejects_the_nearest_method_naming_it(fitted_2d, blobs_2d):
    with pytest.raises(ValueError, match=r"'method'.*ClusterGAN\.transform.*'nearest'"):
        fitted_2d.transform(blobs_2d[0][:5], method="nearest")


def test_predict_nearest_rejects_data_with_the_wrong_number_of_features(fitted_2d):
    with pytest.raises(ValueError, match="3 features"):
        fitted_2d.predict(np.zeros((4, 3)), method="nearest")
