"""ClusterGAN.sample and ClusterGAN.interpolate: generation from the fitted prior and G."""

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError

from skclustergan import ClusterGAN


# ------------------------------------------------------------------- sample
def test_sample_returns_float64_samples_and_int64_labels(fitted_2d):
    X_new, labels = fitted_2d.sample(7, random_state=0)
    assert X_new.shape == (7, 2) and X_new.dtype == np.float64
    assert labels.shape == (7,) and labels.dtype == np.int64


def test_sample_default_draws_one_sample(fitted_2d):
    X_new, labels = fitted_2d.sample()
    assert X_new.shape == (1, 2) and labels.shape == (1,)


def test_sample_is_reproducible_with_an_int_random_state(fitted_2d):
    first = fitted_2d.sample(20, random_state=3)
    second = fitted_2d.sample(20, random_state=3)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_sample_differs_between_random_states(fitted_2d):
    assert not np.allclose(fitted_2d.sample(20, random_state=1)[0], fitted_2d.sample(20, random_state=2)[0])


def test_sample_without_cluster_draws_every_cluster(fitted_2d):
    labels = fitted_2d.sample(300, random_state=0)[1]
    assert set(labels.tolist()) == {0, 1, 2}


def test_sample_with_an_int_cluster_generates_only_that_cluster(fitted_2d):
    X_new, labels = fitted_2d.sample(50, cluster=2, random_state=0)
    assert (labels == 2).all()
    # Generated points of a cluster sit near its prototype G(0, e_k), far from the others.
    nearest = np.linalg.norm(X_new[:, None] - fitted_2d.cluster_centers_[None], axis=2).argmin(1)
    assert (nearest == 2).mean() > 0.9


def test_sample_with_an_array_of_clusters_returns_those_labels(fitted_2d):
    wanted = np.array([0, 2, 1, 1, 0])
    labels = fitted_2d.sample(5, cluster=wanted, random_state=0)[1]
    np.testing.assert_array_equal(labels, wanted)


def test_sample_maps_generated_points_back_to_the_input_space(fitted_2d, blobs_2d):
    X = blobs_2d[0]
    X_new = fitted_2d.sample(200, random_state=0)[0]
    # A sigmoid generator covers (0, 1) in the min-max scaled space, i.e. the data's box.
    assert (X_new >= X.min(axis=0) - 1e-9).all() and (X_new <= X.max(axis=0) + 1e-9).all()
    assert np.ptp(X_new, axis=0).min() > 1.0  # not left in the [0, 1] scaled space


def test_sample_runs_the_generator_in_eval_mode_and_restores_its_mode(fitted_2d):
    expected = fitted_2d.sample(5, random_state=0)[0]
    fitted_2d.generator_.train()
    try:
        got = fitted_2d.sample(5, random_state=0)[0]
        assert fitted_2d.generator_.training
    finally:
        fitted_2d.generator_.eval()
    np.testing.assert_array_equal(got, expected)


def test_sample_does_not_touch_the_global_random_states(fitted_2d):
    np_state = np.random.get_state()[1].copy()
    torch_state = torch.get_rng_state().clone()
    fitted_2d.sample(10, random_state=0)
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_sample_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        ClusterGAN(n_clusters=2).sample(3)


@pytest.mark.parametrize(
    "n_samples, error",
    [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError), ("4", TypeError)],
)
def test_sample_rejects_bad_n_samples_naming_it(fitted_2d, n_samples, error):
    with pytest.raises(error, match=r"'n_samples'.*" + repr(n_samples).replace(".", r"\.")):
        fitted_2d.sample(n_samples)


@pytest.mark.parametrize(
    "cluster, error, match",
    [
        (3, ValueError, r"'cluster'.*\[0, 3\).*3"),
        (-1, ValueError, r"'cluster'.*-1"),
        (1.0, TypeError, r"'cluster'.*1\.0"),
        ([0, 1], ValueError, r"'cluster'.*shape"),
        ([0, 1, 5], ValueError, r"'cluster'.*5"),
        ([0.0, 1.0, 2.0], TypeError, r"'cluster'.*float64"),
    ],
)
def test_sample_rejects_bad_cluster_naming_it(fitted_2d, cluster, error, match):
    with pytest.raises(error, match=match):
        fitted_2d.sample(3, cluster=cluster)


# -------------------------------------------------------------- interpolate
def test_interpolate_returns_float64_path_of_n_steps_points(fitted_2d):
    path = fitted_2d.interpolate(0, 1, n_steps=6, random_state=0)
    assert path.shape == (6, 2) and path.dtype == np.float64


def test_interpolate_endpoints_are_the_cluster_prototypes_when_z_n_is_zero(fitted_2d):
    path = fitted_2d.interpolate(0, 2, n_steps=5, z_n=np.zeros(2))
    np.testing.assert_allclose(path[0], fitted_2d.cluster_centers_[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(path[-1], fitted_2d.cluster_centers_[2], rtol=0, atol=1e-5)


def test_interpolate_keeps_one_z_n_along_the_path(fitted_2d):
    path = fitted_2d.interpolate(1, 1, n_steps=4, random_state=0)
    np.testing.assert_allclose(path, np.repeat(path[:1], 4, axis=0), rtol=0, atol=1e-6)


def test_interpolate_moves_between_the_two_clusters(fitted_2d):
    path = fitted_2d.interpolate(0, 2, n_steps=9, z_n=np.zeros(2))
    to_end = np.linalg.norm(path - path[-1], axis=1)
    assert to_end[0] > to_end[4] > to_end[-1] == 0


def test_interpolate_draws_z_n_from_random_state(fitted_2d):
    first = fitted_2d.interpolate(0, 1, random_state=5)
    np.testing.assert_array_equal(first, fitted_2d.interpolate(0, 1, random_state=5))
    assert not np.allclose(first, fitted_2d.interpolate(0, 1, random_state=6))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(cluster_from=3, cluster_to=0), ValueError, r"'cluster_from'.*3"),
        (dict(cluster_from=0, cluster_to=-1), ValueError, r"'cluster_to'.*-1"),
        (dict(cluster_from=0, cluster_to=1, n_steps=1), ValueError, r"'n_steps'.*1"),
        (dict(cluster_from=0, cluster_to=1, z_n=[0.0, 0.0, 0.0]), ValueError, r"'z_n'.*\(3,\)"),
        (dict(cluster_from=0, cluster_to=1, z_n=[np.nan, 0.0]), ValueError, r"'z_n'.*finite"),
    ],
)
def test_interpolate_rejects_bad_arguments_naming_them(fitted_2d, kwargs, error, match):
    with pytest.raises(error, match=match):
        fitted_2d.interpolate(**kwargs)


# ------------------------------------------------------------- random_state
_BAD_RANDOM_STATES = [
    ("x", TypeError, r"'x' of type str"),
    (1.5, TypeError, r"1\.5 of type float"),
    (True, TypeError, r"True of type bool"),
    (np.random.default_rng(0), TypeError, r"of type Generator"),
    (-1, ValueError, r"Got -1 instead"),
    (2**32, ValueError, r"Got 4294967296 instead"),
]
_RANDOM_STATE_CALLS = {
    "sample": lambda model, rs: model.sample(3, random_state=rs),
    "interpolate": lambda model, rs: model.interpolate(0, 1, random_state=rs),
    "decode": lambda model, rs: model.decode(np.zeros((2, 2)), n_steps=1, random_state=rs),
}


@pytest.mark.parametrize("method", list(_RANDOM_STATE_CALLS))
@pytest.mark.parametrize("random_state, error, match", _BAD_RANDOM_STATES)
def test_bad_random_state_raises_naming_the_parameter_and_the_method(
    fitted_2d, method, random_state, error, match
):
    pattern = rf"'random_state' parameter of ClusterGAN\.{method}\b.*{match}"
    with pytest.raises(error, match=pattern):
        _RANDOM_STATE_CALLS[method](fitted_2d, random_state)


@pytest.mark.parametrize("method", list(_RANDOM_STATE_CALLS))
def test_random_state_instances_and_the_numpy_random_module_are_accepted(fitted_2d, method):
    call = _RANDOM_STATE_CALLS[method]
    first = call(fitted_2d, np.random.RandomState(4))
    second = call(fitted_2d, np.random.RandomState(4))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    call(fitted_2d, np.random)  # sklearn's check_random_state takes the module too
    call(fitted_2d, np.int64(2**32 - 1))
