"""adam_betas: the betas both optimisers step with, in fit, warm_start and partial_fit."""

import numpy as np
import pytest
import torch

from skclustergan import ClusterGAN


@pytest.fixture
def X(blobs_4d):
    return blobs_4d


@pytest.fixture
def recorded_betas(record_optimizer_setting):
    """The betas of both optimisers at each training iteration."""
    return record_optimizer_setting("betas")


def _model(**params):
    return ClusterGAN(
        n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), batch_size=16,
        learning_rate=1e-2, max_iter=5, device="cpu", random_state=0, **params,
    )  # fmt: skip


def _generator_weights(model):
    return torch.cat([p.detach().flatten() for p in model.generator_.parameters()])


def test_auto_adam_betas_are_the_papers_for_the_fully_connected_nets(X, recorded_betas):
    model = _model().fit(X)
    assert model.adam_betas == "auto"
    assert set(recorded_betas) == {(0.5, 0.9)}


@pytest.mark.parametrize(
    "architecture, adam_betas, expected",
    [("conv", "auto", (0.0, 0.9)), ("conv-small", "auto", (0.0, 0.9)),
     ("conv-small", (0.5, 0.9), (0.5, 0.9))],
)  # fmt: skip
def test_auto_adam_betas_drop_the_momentum_for_the_conv_nets(
    architecture, adam_betas, expected, recorded_betas
):
    X = np.random.RandomState(0).rand(24, 64)
    ClusterGAN(
        n_clusters=2, latent_dim=2, architecture=architecture, image_shape=(8, 8),
        batch_size=8, max_iter=2, adam_betas=adam_betas, device="cpu", random_state=0,
    ).fit(X)  # fmt: skip
    assert recorded_betas == [expected] * 2


def test_both_optimisers_step_with_adam_betas(X, recorded_betas):
    _model(adam_betas=[0.0, 0.99]).fit(X)
    assert recorded_betas == [(0.0, 0.99)] * 5


def test_adam_betas_change_the_updates(X):
    default = _generator_weights(_model().fit(X))  # "auto": the paper's betas here
    same = _generator_weights(_model(adam_betas=(0.5, 0.9)).fit(X))
    other = _generator_weights(_model(adam_betas=(0.0, 0.9)).fit(X))
    torch.testing.assert_close(same, default, rtol=0, atol=0)
    assert not torch.allclose(other, default)


def test_warm_start_and_partial_fit_use_the_current_adam_betas(X, recorded_betas):
    model = _model(warm_start=True).fit(X)
    model.set_params(adam_betas=(0.0, 0.8)).fit(X)
    model.partial_fit(X)
    assert recorded_betas == [(0.5, 0.9)] * 5 + [(0.0, 0.8)] * 10  # partial_fit: 90 / 16 -> 5
    saved = model._optimizer_state["generator_encoder"]["param_groups"][0]["betas"]
    assert tuple(saved) == (0.0, 0.8)


def test_adam_betas_numpy_values_are_accepted(X, recorded_betas):
    _model(adam_betas=np.array([0.25, 0.95])).fit(X)
    assert set(recorded_betas) == {(0.25, 0.95)}


@pytest.mark.parametrize(
    "betas",
    [(0.5,), (0.5, 0.9, 0.99), (1.0, 0.9), (0.5, 1.0), (-0.1, 0.9), ("a", "b"),
     (True, 0.9), (0.5, float("nan")), 0.5, "bogus", "ab", None],
)  # fmt: skip
def test_invalid_adam_betas_are_rejected_naming_the_parameter(X, betas):
    with pytest.raises(ValueError, match=r"'adam_betas' parameter of ClusterGAN.*Got"):
        _model(adam_betas=betas).fit(X)


def test_invalid_adam_betas_leave_a_fitted_model_untouched(X):
    model = _model(warm_start=True).fit(X)
    before = _generator_weights(model)
    with pytest.raises(ValueError, match="adam_betas"):
        model.set_params(adam_betas=(0.9, 1.5)).fit(X)
    torch.testing.assert_close(_generator_weights(model), before, rtol=0, atol=0)
    assert model.n_iter_ == 5
