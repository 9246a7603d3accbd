"""Back-propagation decoding: backprop_decode and ClusterGAN.decode / predict / transform."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from skclustergan import ClusterGAN
from skclustergan._backprop import backprop_decode, code_losses


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(
        n_samples=300, centers=3, n_features=2, cluster_std=0.3, center_box=(-8, 8), random_state=0
    )
    return X, y


@pytest.fixture(scope="module")
def model(blobs):
    return ClusterGAN(
        n_clusters=3,
        latent_dim=2,
        hidden_layer_sizes=(32, 32),
        max_iter=150,
        batch_size=32,
        n_critic=1,
        learning_rate=5e-3,
        scaling="minmax",
        device="cpu",
        random_state=0,
    ).fit(blobs[0])


@pytest.fixture(scope="module")
def scaled(model, blobs):
    return model.scaling_.forward(blobs[0][:40], torch.float32, "cpu")


# ------------------------------------------------------------ backprop_decode
def test_backprop_decode_returns_best_restart_code_label_and_loss(model, scaled):
    z_n, labels, loss = backprop_decode(model.generator_, scaled, 3, 2, n_steps=30)
    assert z_n.shape == (40, 2) and labels.shape == (40,) and loss.shape == (40,)
    assert labels.dtype == torch.int64
    z_c = torch.nn.functional.one_hot(labels, 3).float()
    with torch.no_grad():
        recomputed = code_losses(model.generator_.eval(), scaled, z_n, z_c, 10.0)
    torch.testing.assert_close(loss, recomputed)


def test_backprop_decode_keeps_the_restart_with_the_lowest_loss(model, scaled):
    _, labels, loss = backprop_decode(model.generator_, scaled, 3, 2, n_steps=0)
    zeros = torch.zeros(len(scaled), 2)
    with torch.no_grad():
        per_restart = torch.stack(
            [
                code_losses(model.generator_.eval(), scaled, zeros, torch.eye(3)[[k] * 40], 10.0)
                for k in range(3)
            ],
            dim=1,
        )
    torch.testing.assert_close(loss, per_restart.min(dim=1).values)
    torch.testing.assert_close(labels, per_restart.argmin(dim=1))


def test_backprop_decode_optimises_each_code_independently_of_the_batch(model, scaled):
    x = scaled[:12]
    init = 0.1 * torch.randn(12, 3, 2, generator=torch.Generator().manual_seed(0))
    together = backprop_decode(model.generator_, x, 3, 2, n_steps=40, init_z_n=init)
    one_by_one = backprop_decode(model.generator_, x, 3, 2, n_steps=40, init_z_n=init, max_codes=3)
    alone = backprop_decode(model.generator_, x[7:8], 3, 2, n_steps=40, init_z_n=init[7:8])
    for batched, single in zip(together, one_by_one):
        torch.testing.assert_close(batched, single, rtol=1e-4, atol=1e-5)
    for batched, single in zip(together, alone):
        torch.testing.assert_close(batched[7:8], single, rtol=1e-4, atol=1e-5)


def test_backprop_decode_clips_z_n(model, scaled):
    init = torch.full((40, 2), 3.0)
    z_n = backprop_decode(model.generator_, scaled, 3, 2, n_steps=5, clip=0.05, init_z_n=init)[0]
    assert z_n.abs().max() <= 0.05


def test_backprop_decode_leaves_the_generator_untouched(model, scaled):
    generator = model.generator_
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


def test_backprop_decode_rejects_a_badly_shaped_init(model, scaled):
    with pytest.raises(ValueError, match="init_z_n"):
        backprop_decode(model.generator_, scaled, 3, 2, n_steps=1, init_z_n=torch.zeros(40, 5))


# --------------------------------------------------------------------- decode
def test_decode_returns_float64_codes_int64_labels_and_float64_losses(model, blobs):
    z_n, labels, loss = model.decode(blobs[0][:25], n_steps=10)
    assert z_n.shape == (25, 2) and z_n.dtype == np.float64
    assert labels.shape == (25,) and labels.dtype == np.int64
    assert loss.shape == (25,) and loss.dtype == np.float64


@pytest.mark.parametrize("init", ["encoder", "zeros", "random"])
def test_backprop_labels_agree_with_the_encoder_on_separated_blobs(model, blobs, init):
    X, y = blobs
    assert adjusted_rand_score(y, model.predict(X)) > 0.9  # the fixture model is good
    labels = model.decode(X, n_steps=150, init=init, random_state=0)[1]
    assert adjusted_rand_score(model.predict(X), labels) > 0.8


def test_decode_loss_decreases_with_more_steps(model, blobs):
    X = blobs[0]
    losses = [
        model.decode(X, n_steps=n, init="random", random_state=0)[2].mean() for n in (0, 10, 150)
    ]
    assert losses[0] > losses[1] > losses[2]


def test_decode_keeps_z_n_within_six_prior_standard_deviations(model, blobs):
    z_n = model.decode(blobs[0], n_steps=20, init="random", random_state=0)[0]
    assert np.abs(z_n).max() <= 6 * model.sigma + 1e-7


def test_decode_random_init_is_reproducible_from_random_state(model, blobs):
    X = blobs[0][:30]
    first, again, other = (
        model.decode(X, n_steps=5, init="random", random_state=seed)[0] for seed in (1, 1, 2)
    )
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_decode_accepts_sparse_input(model, blobs):
    X = blobs[0][:20]
    dense = model.decode(X, n_steps=5)
    sparse = model.decode(sp.csr_matrix(X), n_steps=5)
    for a, b in zip(dense, sparse):
        np.testing.assert_array_equal(a, b)


def test_decode_works_inside_inference_mode(model, blobs):
    X = blobs[0][:20]
    expected = model.decode(X, n_steps=5)
    with torch.inference_mode():
        got = model.decode(X, n_steps=5)
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
def test_decode_rejects_bad_arguments_naming_them(model, blobs, kwargs, error, match):
    with pytest.raises(error, match=match):
        model.decode(blobs[0][:5], **kwargs)


def test_decode_rejects_data_with_the_wrong_number_of_features(model):
    with pytest.raises(ValueError, match="features"):
        model.decode(np.zeros((4, 3)))


# ------------------------------------------------ predict / transform methods
def test_predict_defaults_to_the_encoder_argmax(model, blobs):
    X = blobs[0]
    expected = model.predict_proba(X).argmax(axis=1)
    np.testing.assert_array_equal(model.predict(X), expected)
    np.testing.assert_array_equal(model.predict(X, method="argmax"), expected)


def test_predict_backprop_returns_the_decoded_labels(model, blobs):
    X = blobs[0][:60]
    np.testing.assert_array_equal(model.predict(X, method="backprop"), model.decode(X)[1])


def test_transform_backprop_returns_the_decoded_codes_in_the_input_dtype(model, blobs):
    X = blobs[0][:60]
    np.testing.assert_array_equal(model.transform(X, method="backprop"), model.decode(X)[0])
    assert model.transform(X.astype(np.float32), method="backprop").dtype == np.float32


def test_transform_defaults_to_the_encoder_code(model, blobs):
    X = blobs[0][:60]
    np.testing.assert_array_equal(model.transform(X), model.transform(X, method="argmax"))
    assert not np.allclose(model.transform(X), model.transform(X, method="backprop"))


@pytest.mark.parametrize("caller", ["predict", "transform"])
def test_predict_and_transform_reject_an_unknown_method(model, blobs, caller):
    with pytest.raises(ValueError, match=rf"'method'.*ClusterGAN\.{caller}.*'gradient'"):
        getattr(model, caller)(blobs[0][:5], method="gradient")
