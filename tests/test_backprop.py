"""Back-propagation decoding: backprop_decode and ClusterGAN.decode / predict / transform."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.metrics import adjusted_rand_score

from skclustergan._backprop import backprop_decode, code_losses


@pytest.fixture(scope="module")
def scaled(fitted_2d, blobs_2d):
    return fitted_2d.scaling_.forward(blobs_2d[0][:40], torch.float32, "cpu")


# ------------------------------------------------------------ backprop_decode
def test_backprop_decode_returns_best_restart_code_label_and_loss(fitted_2d, scaled):
    z_n, labels, loss = backprop_decode(fitted_2d.generator_, scaled, 3, 2, n_steps=30)
    assert z_n.shape == (40, 2) and labels.shape == (40,) and loss.shape == (40,)
    assert labels.dtype == torch.int64
    z_c = torch.nn.functional.one_hot(labels, 3).float()
    with torch.no_grad():
        recomputed = code_losses(fitted_2d.generator_.eval(), scaled, z_n, z_c, 10.0)
    torch.testing.assert_close(loss, recomputed)


def test_backprop_decode_keeps_the_restart_with_the_lowest_loss(fitted_2d, scaled):
    _, labels, loss = backprop_decode(fitted_2d.generator_, scaled, 3, 2, n_steps=0)
    zeros = torch.zeros(len(scaled), 2)
    with torch.no_grad():
        per_restart = torch.stack(
            [
                code_losses(fitted_2d.generator_.eval(), scaled, zeros, torch.eye(3)[[k] * 40], 10.0)
                for k in range(3)
            ],
            dim=1,
        )
    torch.testing.assert_close(loss, per_restart.min(dim=1).values)
    torch.testing.assert_close(labels, per_restart.argmin(dim=1))


def test_backprop_decode_optimises_each_code_independently_of_the_batch(fitted_2d, scaled):
    x = scaled[:12]
    init = 0.1 * torch.randn(12, 3, 2, generator=torch.Generator().manual_seed(0))
    together = backprop_decode(fitted_2d.generator_, x, 3, 2, n_steps=40, init_z_n=init)
    one_by_one = backprop_decode(fitted_2d.generator_, x, 3, 2, n_steps=40, init_z_n=init, max_codes=3)
    alone = backprop_decode(fitted_2d.generator_, x[7:8], 3, 2, n_steps=40, init_z_n=init[7:8])
    for batched, single in zip(together, one_by_one):
        torch.testing.assert_close(batched, single, rtol=1e-4, atol=1e-5)
    for batched, single in zip(together, alone):
        torch.testing.assert_close(batched[7:8], single, rtol=1e-4, atol=1e-5)


def test_backprop_decode_clips_z_n(fitted_2d, scaled):
    init = torch.full((40, 2), 3.0)
    z_n = backprop_decode(fitted_2d.generator_, scaled, 3, 2, n_steps=5, clip=0.05, init_z_n=init)[0]
    assert z_n.abs().max() <= 0.05


def test_backprop_decode_leaves_the_generator_untouched(fitted_2d, scaled):
    generator = fitted_2d.generator_
    before = {k: v.clone() for k, v in generator.state_dict().items()}
    for param in generator.parameters():
        param.grad = None
    generator.train()
    try:
        backprop_decode(generator, scaled, 3, 2, n_steps=5)
        assert generator.training
    finally:
        generator.eval()
    for name, value in generator.state_dict().items():
        assert torch.equal(value, before[name]), name  # BatchNorm statistics included
    assert all(param.grad is None for param in generator.parameters())


def test_backprop_decode_rejects_a_badly_shaped_init(fitted_2d, scaled):
    with pytest.raises(ValueError, match="init_z_n"):
        backprop_decode(fitted_2d.generator_, scaled, 3, 2, n_steps=1, init_z_n=torch.zeros(40, 5))


# --------------------------------------------------------------------- decode
def test_decode_returns_float64_codes_int64_labels_and_float64_losses(fitted_2d, blobs_2d):
    z_n, labels, loss = fitted_2d.decode(blobs_2d[0][:25], n_steps=10)
    assert z_n.shape == (25, 2) and z_n.dtype == np.float64
    assert labels.shape == (25,) and labels.dtype == np.int64
    assert loss.shape == (25,) and loss.dtype == np.float64


@pytest.mark.parametrize("init", ["encoder", "zeros", "random"])
def test_backprop_labels_agree_with_the_encoder_on_separated_blobs(fitted_2d, blobs_2d, init):
    X, y = blobs_2d
    assert adjusted_rand_score(y, fitted_2d.predict(X)) > 0.9  # the fixture fitted_2d is good
    labels = fitted_2d.decode(X, n_steps=150, init=init, random_state=0)[1]
    assert adjusted_rand_score(fitted_2d.predict(X), labels) > 0.8


def test_decode_loss_decreases_with_more_steps(fitted_2d, blobs_2d):
    X = blobs_2d[0]
    losses = [
        fitted_2d.decode(X, n_steps=n, init="random", random_state=0)[2].mean() for n in (0, 10, 150)
    ]
    assert losses[0] > losses[1] > losses[2]


def test_decode_keeps_z_n_within_six_prior_standard_deviations(fitted_2d, blobs_2d):
    z_n = fitted_2d.decode(blobs_2d[0], n_steps=20, init="random", random_state=0)[0]
    assert np.abs(z_n).max() <= 6 * fitted_2d.sigma + 1e-7


def test_decode_random_init_is_reproducible_from_random_state(fitted_2d, blobs_2d):
    X = blobs_2d[0][:30]
    first, again, other = (
        fitted_2d.decode(X, n_steps=5, init="random", random_state=seed)[0] for seed in (1, 1, 2)
    )
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_decode_accepts_sparse_input(fitted_2d, blobs_2d):
    X = blobs_2d[0][:20]
    dense = fitted_2d.decode(X, n_steps=5)
    sparse = fitted_2d.decode(sp.csr_matrix(X), n_steps=5)
    for a, b in zip(dense, sparse):
        np.testing.assert_array_equal(a, b)


def test_decode_works_inside_inference_mode(fitted_2d, blobs_2d):
    X = blobs_2d[0][:20]
    expected = fitted_2d.decode(X, n_steps=5)
    with torch.inference_mode():
        got = fitted_2d.decode(X, n_steps=5)
    np.testing.assert_array_equal(expected[0], got[0])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(n_steps=-1), ValueError, r"'n_steps'.*-1"),
        (dict(n_steps=2.0), TypeError, r"'n_steps'.*2\.0"),
        (dict(learning_rate=0.0), ValueError, r"'learning_rate'.*0\.0"),
        (dict(learning_rate="fast"), TypeError, r"'learning_rate'.*fast"),
        (dict(init="kmeans"), ValueError, r"'init'.*kmeans"),
    ],
)
def test_decode_rejects_bad_arguments_naming_them(fitted_2d, blobs_2d, kwargs, error, match):
    with pytest.raises(error, match=match):
        fitted_2d.decode(blobs_2d[0][:5], **kwargs)


def test_decode_rejects_data_with_the_wrong_number_of_features(fitted_2d):
    with pytest.raises(ValueError, match="features"):
        fitted_2d.decode(np.zeros((4, 3)))


# ------------------------------------------------ predict / transform methods
def test_predict_defaults_to_the_encoder_argmax(fitted_2d, blobs_2d):
    X = blobs_2d[0]
    expected = fitted_2d.predict_proba(X).argmax(axis=1)
    np.testing.assert_array_equal(fitted_2d.predict(X), expected)
    np.testing.assert_array_equal(fitted_2d.predict(X, method="argmax"), expected)


def test_predict_backprop_returns_the_decoded_labels(fitted_2d, blobs_2d):
    X = blobs_2d[0][:60]
    np.testing.assert_array_equal(fitted_2d.predict(X, method="backprop"), fitted_2d.decode(X)[1])


def test_transform_backprop_returns_the_decoded_codes_in_the_input_dtype(fitted_2d, blobs_2d):
    X = blobs_2d[0][:60]
    np.testing.assert_array_equal(fitted_2d.transform(X, method="backprop"), fitted_2d.decode(X)[0])
    assert fitted_2d.transform(X.astype(np.float32), method="backprop").dtype == np.float32


def test_transform_defaults_to_the_encoder_code(fitted_2d, blobs_2d):
    X = blobs_2d[0][:60]
    np.testing.assert_array_equal(fitted_2d.transform(X), fitted_2d.transform(X, method="argmax"))
    assert not np.allclose(fitted_2d.transform(X), fitted_2d.transform(X, method="backprop"))


@pytest.mark.parametrize("caller", ["predict", "transform"])
def test_predict_and_transform_reject_an_unknown_method(fitted_2d, blobs_2d, caller):
    with pytest.raises(ValueError, match=rf"'method'.*ClusterGAN\.{caller}.*'gradient'"):
        getattr(fitted_2d, caller)(blobs_2d[0][:5], method="gradient")
