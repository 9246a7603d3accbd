"""``precision="bf16-mixed"``: the training steps under bfloat16 autocast."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from skclustergan import ClusterGAN, _estimator
from skclustergan._mlp_trainer import MlpTrainer
from skclustergan._networks import Encoder, build_mlp_networks
from skclustergan._training import Trainer, TrainingConfig, make_trainer

DIGITS = load_digits().data[:120]


def conv_model(**params) -> ClusterGAN:
    defaults = {
        "n_clusters": 4, "latent_dim": 3, "architecture": "conv-small", "image_shape": (8, 8),
        "max_iter": 4, "batch_size": 16, "device": "cpu", "random_state": 0,
    }  # fmt: skip
    return ClusterGAN(**{**defaults, **params})


def test_bf16_mixed_trains_the_convolutions_in_bfloat16_and_infers_in_full_precision():
    model = conv_model(precision="bf16-mixed")
    seen: list[torch.dtype] = []
    original = _estimator.ClusterGAN._build_networks

    def build_with_hook(self, n_features, seed):
        nets = original(self, n_features, seed)
        conv = next(m for m in nets[2].modules() if isinstance(m, torch.nn.Conv2d))
        conv.register_forward_hook(lambda module, args, out: seen.append(out.dtype))
        return nets

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_estimator.ClusterGAN, "_build_networks", build_with_hook)
        model.fit(DIGITS)
    # the encoder runs once per generator step (bfloat16), then labels_ the data at
    # inference precision (float64 X runs in float64)
    assert set(seen[: model.max_iter]) == {torch.bfloat16}
    assert set(seen[model.max_iter :]) == {torch.float64}
    seen.clear()
    proba = model.predict_proba(DIGITS.astype(np.float32))
    assert set(seen) == {torch.float32}
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert all(p.dtype == torch.float32 for p in model.encoder_.parameters())
    assert all(np.isfinite(v).all() and v.dtype == np.float64 for v in model.history_.values())


def test_bf16_mixed_computes_the_float32_losses_up_to_bfloat16_rounding():
    first = {}
    for precision in ("float32", "bf16-mixed"):
        model = conv_model(max_iter=1, precision=precision).fit(DIGITS)
        first[precision] = np.array([v[0] for v in model.history_.values()])
    # same seed, same draws, same mathematics: the first iteration's four losses agree
    # to bfloat16's precision (8 bits of mantissa), but not to float32's
    np.testing.assert_allclose(first["bf16-mixed"], first["float32"], rtol=0.05, atol=1e-3)
    assert not np.array_equal(first["bf16-mixed"], first["float32"])


def test_bf16_mixed_fully_connected_nets_train_with_the_autograd_steps():
    g, d, e = build_mlp_networks(6, 2, 3, (8,))
    config = {
        "latent_dim": 2, "n_clusters": 3, "sigma": 0.1, "beta_n": 10.0, "beta_c": 10.0,
        "adversarial_loss": "wasserstein-gp", "gp_weight": 10.0, "n_critic": 1,
        "batch_size": 8, "learning_rate": 1e-3,
    }  # fmt: skip
    args = (g, d, Encoder(e, 2, 3))
    rest = (torch.Generator().manual_seed(0), torch.device("cpu"))
    assert type(make_trainer(*args, TrainingConfig(**config), *rest)) is MlpTrainer
    bf16 = TrainingConfig(**config, precision="bf16-mixed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert type(make_trainer(*args, bf16, *rest)) is Trainer
    with pytest.warns(UserWarning, match="precision='float32' only"):
        assert type(make_trainer(*args, bf16, *rest, compile=True)) is Trainer


def test_bf16_mixed_fits_tabular_data_and_pickles():
    import pickle

    X = np.random.default_rng(0).random((60, 5))
    model = ClusterGAN(
        n_clusters=2, max_iter=5, precision="bf16-mixed", device="cpu", random_state=0
    ).fit(X)
    again = pickle.loads(pickle.dumps(model))
    assert again.precision == "bf16-mixed"
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


@pytest.mark.parametrize("value", ["bfloat16", "fp16", 16, None])
def test_precision_must_be_one_of_the_documented_values(value):
    X = np.random.default_rng(0).random((30, 5))
    with pytest.raises(ValueError, match="The 'precision' parameter of ClusterGAN must be"):
        ClusterGAN(n_clusters=2, max_iter=1, precision=value).fit(X)


def test_bf16_mixed_on_a_device_without_autocast_raises(monkeypatch):
    monkeypatch.setattr(_estimator.torch.amp, "is_autocast_available", lambda device: False)
    X = np.random.default_rng(0).random((30, 5))
    model = ClusterGAN(n_clusters=2, max_iter=1, precision="bf16-mixed", device="cpu")
    with pytest.raises(ValueError, match="'precision' parameter of ClusterGAN is 'bf16-mixed'"):
        model.fit(X)
    assert not hasattr(model, "n_iter_")


def test_bf16_mixed_steps_see_the_weights_of_the_previous_update():
    """Each step casts the current weights: no bfloat16 copy outlives an optimiser step.

    With a large learning rate every critic update moves the weights far (here the
    third critic loss is 3.44 in float32, 9.87 on stale copies), so a
    second critic step (or the generator step) run on stale bfloat16 copies
    would report losses far from float32 training's.
    """
    losses = {}
    for precision in ("float32", "bf16-mixed"):
        model = conv_model(max_iter=1, n_critic=3, learning_rate=0.005, precision=precision).fit(
            DIGITS
        )
        losses[precision] = np.array([v[0] for v in model.history_.values()])
    np.testing.assert_allclose(losses["bf16-mixed"], losses["float32"], rtol=0.05, atol=1e-3)
