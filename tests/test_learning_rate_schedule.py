"""learning_rate_schedule: the rate each iteration of fit, warm_start and partial_fit uses."""

import numpy as np
import pytest

from skclustergan import ClusterGAN


@pytest.fixture
def X(blobs_4d):
    return blobs_4d


@pytest.fixture
def recorded_rates(record_optimizer_setting):
    """The learning rate of both optimisers at each training iteration."""
    return record_optimizer_setting("lr")


def _model(**params):
    return ClusterGAN(
        n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), batch_size=16,
        n_critic=1, learning_rate=1e-2, device="cpu", random_state=0, **params,
    )  # fmt: skip


def test_linear_schedule_decays_from_learning_rate_towards_zero(X, recorded_rates):
    _model(max_iter=8, learning_rate_schedule="linear").fit(X)
    np.testing.assert_allclose(recorded_rates, 1e-2 * (1 - np.arange(8) / 8))


def test_constant_schedule_is_the_default_and_keeps_the_learning_rate(X, recorded_rates):
    assert ClusterGAN().learning_rate_schedule == "constant"
    _model(max_iter=5).fit(X)
    assert recorded_rates == [1e-2] * 5


def test_warm_start_decays_again_from_the_current_learning_rate(X, recorded_rates):
    model = _model(max_iter=4, learning_rate_schedule="linear").fit(X)
    model.set_params(warm_start=True, learning_rate=2e-2, max_iter=2).fit(X)
    np.testing.assert_allclose(recorded_rates[4:], [2e-2, 1e-2])
    assert model.n_iter_ == 6


def test_warm_start_uses_a_changed_learning_rate_not_the_saved_optimiser_one(X, recorded_rates):
    model = _model(max_iter=3, learning_rate_schedule="constant").fit(X)
    model.set_params(warm_start=True, learning_rate=5e-3).fit(X)
    assert recorded_rates == [1e-2] * 3 + [5e-3] * 3


def test_partial_fit_keeps_the_learning_rate_constant(X, recorded_rates):
    model = _model(max_iter=100, learning_rate_schedule="linear")
    for chunk in np.array_split(X, 3):
        model.partial_fit(chunk)
    assert len(recorded_rates) == 6 and set(recorded_rates) == {1e-2}


def test_the_clis_chunked_fit_decays_once_over_the_whole_run(X, recorded_rates):
    import io

    from skclustergan import cli

    model = _model(max_iter=20, learning_rate_schedule="linear")
    assert cli.fit_with_progress(model, X, io.StringIO())
    assert model.n_iter_ == 20 and "_schedule_span" not in vars(model)
    np.testing.assert_allclose(recorded_rates, 1e-2 * (1 - np.arange(20) / 20))
