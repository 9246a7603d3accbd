"""learning_rate and learning_rate_schedule: the rate each iteration of fit, warm_start and
partial_fit uses."""

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
    params = {"learning_rate": 1e-2, **params}
    return ClusterGAN(
        n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), batch_size=16,
        n_critic=1, device="cpu", random_state=0, **params,
    )  # fmt: skip


def test_linear_schedule_decays_from_learning_rate_towards_zero(X, recorded_rates):
    _model(max_iter=8, learning_rate_schedule="linear").fit(X)
    np.testing.assert_allclose(recorded_rates, 1e-2 * (1 - np.arange(8) / 8))


def test_auto_schedule_is_the_default_and_constant_for_the_fully_connected_nets(X, recorded_rates):
    assert ClusterGAN().learning_rate_schedule == "auto"
    _model(max_iter=5).fit(X)
    assert recorded_rates == [1e-2] * 5


def test_auto_schedule_is_constant_for_a_callable_architecture(X, recorded_rates):
    from skclustergan._networks import build_mlp_networks

    def nets(n_features, latent_dim, n_clusters):
        return build_mlp_networks(n_features, latent_dim, n_clusters, (8,))

    _model(max_iter=4, architecture=nets).fit(X)
    assert recorded_rates == [1e-2] * 4


@pytest.mark.parametrize(
    "architecture, schedule, decays",
    [("conv", "auto", True), ("conv-small", "auto", True), ("conv-small", "constant", False)],
)
def test_auto_schedule_decays_linearly_for_the_conv_nets(
    architecture, schedule, decays, recorded_rates
):
    X = np.random.RandomState(0).rand(24, 64)
    ClusterGAN(
        n_clusters=2, latent_dim=2, architecture=architecture, image_shape=(8, 8),
        batch_size=8, max_iter=4, learning_rate=1e-2, learning_rate_schedule=schedule,
        device="cpu", random_state=0,
    ).fit(X)  # fmt: skip
    expected = 1e-2 * (1 - np.arange(4) / 4) if decays else [1e-2] * 4
    np.testing.assert_allclose(recorded_rates, expected)


def test_constant_schedule_keeps_the_learning_rate(X, recorded_rates):
    _model(max_iter=5, learning_rate_schedule="constant").fit(X)
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


def test_auto_learning_rate_is_the_default_and_5e_4_for_the_fully_connected_nets(X, recorded_rates):
    assert ClusterGAN().learning_rate == "auto"
    _model(max_iter=3, learning_rate="auto").fit(X)
    assert recorded_rates == [5e-4] * 3


@pytest.mark.parametrize("architecture", ["conv", "conv-small"])
def test_auto_learning_rate_is_2e_3_for_the_conv_nets(architecture, recorded_rates):
    X = np.random.RandomState(0).rand(24, 64)
    ClusterGAN(
        n_clusters=2, latent_dim=2, architecture=architecture, image_shape=(8, 8),
        batch_size=8, max_iter=2, learning_rate_schedule="constant", device="cpu",
        random_state=0,
    ).fit(X)  # fmt: skip
    assert recorded_rates == [2e-3] * 2


@pytest.mark.parametrize("value", ["fast", 0.0, -1e-3, None])
def test_learning_rate_rejects_values_other_than_auto_or_a_positive_float(X, value):
    model = _model(max_iter=2, learning_rate=value)
    with pytest.raises(ValueError, match="The 'learning_rate' parameter of ClusterGAN must be"):
        model.fit(X)
    assert not hasattr(model, "n_iter_")
