"""Behaviour of the ClusterGAN estimator: scikit-learn integration, fitted attributes,
reproducibility, input handling, interruption and divergence, persistence, and
clustering quality on well separated blobs.

Models are tiny (latent_dim=2, two hidden layers of 32 units, ~100 iterations on
the CPU, one torch thread) unless a test is about clustering quality.
"""

from __future__ import annotations

import pickle
import signal
import threading
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits, make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skclustergan import ClusterGAN
from skclustergan._networks import build_mlp_networks
from skclustergan._training import TrainingDivergedError

N_CLUSTERS = 3
LATENT_DIM = 2


def tiny(**params) -> ClusterGAN:
    """A small, quick ClusterGAN for behaviour tests (its clusters need not be good)."""
    defaults = dict(
        n_clusters=N_CLUSTERS,
        latent_dim=LATENT_DIM,
        hidden_layer_sizes=(32, 32),
        max_iter=100,
        batch_size=32,
        n_critic=1,
        learning_rate=5e-3,
        scaling="minmax",
        device="cpu",
        random_state=0,
    )
    defaults.update(params)
    return ClusterGAN(**defaults)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny networks run fastest on one thread; two threads on a busy machine spin-wait.

    Also makes the GridSearchCV comparison like for like: joblib's worker processes
    run one thread each.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(n_samples=150, centers=N_CLUSTERS, n_features=5, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def fitted(blobs):
    """One fitted tiny model shared by the read-only tests (do not modify it)."""
    X, _ = blobs
    return tiny(max_iter=150).fit(X)


# --------------------------------------------------------------- scikit-learn glue
def test_pipeline_fit_predict_transform_shapes_and_consistency(blobs):
    X, _ = blobs
    pipe = make_pipeline(StandardScaler(), tiny())
    labels = pipe.fit_predict(X)
    assert labels.shape == (len(X),)
    assert set(np.unique(labels)) <= set(range(N_CLUSTERS))
    # fit_predict returns the labels of the fitted final step, which are predict(X)
    np.testing.assert_array_equal(labels, pipe[-1].labels_)
    np.testing.assert_array_equal(labels, pipe.predict(X))
    assert pipe.transform(X).shape == (len(X), LATENT_DIM)
    # the final step saw standardised data
    np.testing.assert_array_equal(pipe[-1].predict(StandardScaler().fit_transform(X)), labels)
    # fit then predict on a fresh pipeline gives the same labels as fit_predict
    other = make_pipeline(StandardScaler(), tiny()).fit(X)
    np.testing.assert_array_equal(other.predict(X), labels)
    np.testing.assert_array_equal(other.transform(X), pipe.transform(X))


GRID = {"beta_n": [0.0, 10.0], "beta_c": [1.0, 10.0]}


def _search(X, y, scoring, n_jobs):
    # one torch thread here (conftest) and in each worker: float results depend on the
    # thread count (1 against 2 threads: scores differ by ~1e-3), and loky would give
    # each worker cpu_count // n_jobs threads (8 on a 16-core machine)
    search = GridSearchCV(tiny(max_iter=20), GRID, scoring=scoring, cv=2, n_jobs=n_jobs)
    with joblib.parallel_config(backend="loky", inner_max_num_threads=1):
        return search.fit(X, y)


@pytest.mark.parametrize("scoring", [None, "adjusted_rand_score"])
def test_grid_search_same_results_with_one_and_two_jobs(blobs, scoring):
    X, y = blobs
    y = y if scoring is not None else None
    serial = _search(X, y, scoring, n_jobs=1)
    parallel = _search(X, y, scoring, n_jobs=2)
    scores = serial.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all()
    assert len(scores) == 4
    if scoring is None:  # the default criterion: minus the reconstruction error
        assert (scores < 0).all()
    assert serial.best_params_ in serial.cv_results_["params"]
    assert serial.best_score_ == scores.max()
    assert serial.best_params_ == parallel.best_params_
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_array_equal(serial.cv_results_[key], parallel.cv_results_[key])
    assert serial.best_estimator_.predict(X).shape == (len(X),)


def test_score_ignores_y_and_needs_no_labels(blobs, fitted):
    X, y = blobs
    assert fitted.score(X, y) == fitted.score(X)


# ------------------------------------------------------------ fitted attributes
def test_labels_equal_predict_and_are_ints_in_range(blobs, fitted):
    X, _ = blobs
    np.testing.assert_array_equal(fitted.labels_, fitted.predict(X))
    assert fitted.labels_.shape == (len(X),)
    assert np.issubdtype(fitted.labels_.dtype, np.integer)
    assert fitted.labels_.min() >= 0 and fitted.labels_.max() < N_CLUSTERS


def test_fit_predict_equals_labels_of_a_separate_fit(blobs, fitted):
    X, _ = blobs
    np.testing.assert_array_equal(tiny(max_iter=150).fit_predict(X), fitted.labels_)


def test_cluster_centers_are_in_input_space(blobs, fitted):
    X, _ = blobs
    centers = fitted.cluster_centers_
    assert centers.shape == (N_CLUSTERS, X.shape[1])
    assert np.isfinite(centers).all()
    # sigmoid output and per-feature min-max scaling: centres lie in the data's box,
    # not in [0, 1] (the networks' space)
    assert (centers >= X.min(axis=0) - 1e-6).all()
    assert (centers <= X.max(axis=0) + 1e-6).all()
    assert np.abs(centers).max() > 1.5


def test_n_iter_and_history(fitted):
    assert fitted.n_iter_ == 150
    assert set(fitted.history_) == {"critic", "generator", "zn_recovery", "zc_recovery"}
    for key, values in fitted.history_.items():
        assert values.shape == (150,), key
        assert np.isfinite(values).all(), key
    # the encoder learns to recover z_c: the cross-entropy falls well below log(K)
    assert fitted.history_["zc_recovery"][-20:].mean() < 0.5 * np.log(N_CLUSTERS)


def test_transform_and_predict_proba_shapes(blobs, fitted):
    X, _ = blobs
    Z = fitted.transform(X)
    assert Z.shape == (len(X), LATENT_DIM)
    proba = fitted.predict_proba(X)
    assert proba.shape == (len(X), N_CLUSTERS)
    assert (proba >= 0).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(proba.argmax(axis=1), fitted.predict(X))


def test_feature_names_out_and_pandas_output(blobs):
    X, _ = blobs
    est = tiny(max_iter=5).set_output(transform="pandas").fit(X)
    names = [f"clustergan{i}" for i in range(LATENT_DIM)]
    assert list(est.get_feature_names_out()) == names
    out = est.transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == names
    assert out.shape == (len(X), LATENT_DIM)
    out = clone(est).fit_transform(X)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == names


def test_dataframe_input_fits_without_warnings(blobs):
    X, _ = blobs
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = tiny(max_iter=5).fit(df)
        labels = est.predict(df)
    np.testing.assert_array_equal(est.feature_names_in_, df.columns)
    np.testing.assert_array_equal(labels, est.labels_)


# -------------------------------------------------------------- reproducibility
def test_same_random_state_gives_identical_results(blobs, fitted):
    X, _ = blobs
    again = tiny(max_iter=150).fit(X)
    np.testing.assert_array_equal(again.labels_, fitted.labels_)
    np.testing.assert_array_equal(again.transform(X), fitted.transform(X))
    np.testing.assert_array_equal(again.cluster_centers_, fitted.cluster_centers_)
    for key in fitted.history_:
        np.testing.assert_array_equal(again.history_[key], fitted.history_[key])


def test_fit_leaves_global_random_states_unchanged(blobs):
    X, _ = blobs
    torch_state = torch.get_rng_state().clone()
    numpy_state = np.random.get_state()
    tiny(max_iter=5).fit(X)
    assert torch.equal(torch.get_rng_state(), torch_state)
    after = np.random.get_state()
    assert after[0] == numpy_state[0]
    np.testing.assert_array_equal(after[1], numpy_state[1])
    assert after[2:] == numpy_state[2:]


def test_different_random_states_give_different_models(blobs):
    X, _ = blobs
    a = tiny(max_iter=5, random_state=0).fit(X)
    b = tiny(max_iter=5, random_state=1).fit(X)
    assert not np.array_equal(a.transform(X), b.transform(X))


# ----------------------------------------------------------------------- dtypes
def test_transform_preserves_float32_and_float64(blobs, fitted):
    X, _ = blobs
    assert fitted.transform(X.astype(np.float32)).dtype == np.float32
    assert fitted.transform(X.astype(np.float64)).dtype == np.float64
    assert fitted.transform(X.astype(np.int64)).dtype == np.float64
    np.testing.assert_allclose(
        fitted.transform(X.astype(np.float32)), fitted.transform(X), atol=1e-4
    )


def test_float32_and_float64_training_data_give_the_same_clusters(blobs, fitted):
    X, _ = blobs
    est32 = tiny(max_iter=150).fit(X.astype(np.float32))
    assert adjusted_rand_score(fitted.labels_, est32.labels_) >= 0.95


# ------------------------------------------------------------------- warm start
def test_warm_start_continues_training(blobs):
    X, _ = blobs
    est = tiny(max_iter=30).fit(X)
    first = {key: values.copy() for key, values in est.history_.items()}
    weights = [p.detach().clone() for p in est.generator_.parameters()]
    est.set_params(warm_start=True, max_iter=20).fit(X)
    assert est.n_iter_ == 50
    for key, values in est.history_.items():
        assert values.shape == (50,)
        np.testing.assert_array_equal(values[:30], first[key])
    # the same networks went on training (not rebuilt from scratch)
    changed = [not torch.equal(a, b) for a, b in zip(weights, est.generator_.parameters())]
    assert any(changed)
    cold = tiny(max_iter=20).fit(X)
    assert not np.array_equal(cold.transform(X), est.transform(X))


def test_warm_start_without_previous_fit_is_a_normal_fit(blobs):
    X, _ = blobs
    warm = tiny(max_iter=20, warm_start=True).fit(X)
    cold = tiny(max_iter=20).fit(X)
    assert warm.n_iter_ == 20
    np.testing.assert_array_equal(warm.transform(X), cold.transform(X))


@pytest.mark.parametrize("change", [{"latent_dim": LATENT_DIM + 1}, {"n_clusters": 2}])
def test_warm_start_with_different_shapes_raises(blobs, change):
    X, _ = blobs
    est = tiny(max_iter=10, warm_start=True).fit(X)
    before = est.transform(X)
    with pytest.raises(ValueError, match="warm_start=True needs the same latent_dim"):
        est.set_params(**change).fit(X)
    # the failed fit left the fitted model as it was
    est.set_params(latent_dim=LATENT_DIM, n_clusters=N_CLUSTERS)
    assert est.n_iter_ == 10
    np.testing.assert_array_equal(est.transform(X), before)


# ---------------------------------------------------------------------- verbose
def test_verbose_prints_progress(blobs, capsys):
    X, _ = blobs
    tiny(max_iter=10, verbose=1).fit(X)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines, "verbose=1 printed nothing"
    assert all("iter" in line and "left" in line for line in lines)
    assert "iter 10/10" in lines[-1]


def test_silent_by_default(blobs, capsys):
    X, _ = blobs
    tiny(max_iter=10).fit(X)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# ----------------------------------------------------------------------- sparse
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_input_gives_the_same_model_as_dense(blobs, fitted, fmt):
    X, _ = blobs
    Xs = sp.csr_matrix(X) if fmt == "csr" else sp.csc_matrix(X)
    est = tiny(max_iter=150).fit(Xs)
    np.testing.assert_array_equal(est.labels_, fitted.labels_)
    np.testing.assert_array_equal(est.predict(Xs), fitted.predict(X))
    # the same training run: any difference in training would show at ~1e-3; a CSC
    # chunk densifies to a Fortran-ordered array, whose float64 matmul rounds differently
    np.testing.assert_allclose(est.transform(Xs), fitted.transform(X), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(est.cluster_centers_, fitted.cluster_centers_)
    for key in fitted.history_:
        np.testing.assert_array_equal(est.history_[key], fitted.history_[key])


def test_sparse_input_with_many_zeros(blobs):
    rng = np.random.RandomState(0)
    X = sp.random(120, 20, density=0.1, format="csr", random_state=rng)
    est = tiny(max_iter=10).fit(X)
    assert est.predict(X).shape == (120,)
    assert est.transform(X).shape == (120, LATENT_DIM)
    np.testing.assert_array_equal(est.predict(X), est.predict(X.toarray()))


# ----------------------------------------------------- divergence and interruption
class _Wrapped(torch.nn.Module):
    """A generator that calls ``hook(n_calls)`` on every forward pass."""

    def __init__(self, body, hook):
        super().__init__()
        self.body = body
        self.hook = hook
        self.n_calls = 0

    def forward(self, z):
        self.n_calls += 1
        out = self.body(z)
        return self.hook(self.n_calls, out)


def _architecture_with_generator_hook(hook):
    def architecture(n_features, latent_dim, n_clusters):
        g, d, e = build_mlp_networks(n_features, latent_dim, n_clusters, (32, 32), "sigmoid")
        return _Wrapped(g, hook), d, e

    return architecture


def test_nan_losses_raise_training_diverged_error_naming_the_iteration(blobs):
    X, _ = blobs

    # n_critic=1: the generator runs twice per iteration (critic step, G+E step);
    # from the first call of iteration 11 on it outputs NaN
    def nan_after_ten_iterations(n_calls, out):
        return out * float("nan") if n_calls > 20 else out

    architecture = _architecture_with_generator_hook(nan_after_ten_iterations)
    est = tiny(max_iter=100, architecture=architecture)
    with pytest.raises(TrainingDivergedError, match=r"NaN or infinite at iteration 11\b"):
        est.fit(X)
    assert issubclass(TrainingDivergedError, FloatingPointError)
    with pytest.raises(NotFittedError):  # no half-fitted model with NaN weights is left
        est.predict(X)


def test_divergence_during_warm_start_names_the_total_iteration(blobs):
    X, _ = blobs
    poisoned = {"on": False}

    def nan_when_poisoned(n_calls, out):
        return out * float("nan") if poisoned["on"] else out

    architecture = _architecture_with_generator_hook(nan_when_poisoned)
    est = tiny(max_iter=10, warm_start=True, architecture=architecture).fit(X)
    poisoned["on"] = True
    with pytest.raises(TrainingDivergedError, match=r"at iteration 11\b"):
        est.fit(X)


def test_divergence_check_runs_at_the_last_iteration(blobs):
    X, _ = blobs

    def nan_from_iteration_three(n_calls, out):
        return out * float("nan") if n_calls > 4 else out

    est = tiny(max_iter=7, architecture=_architecture_with_generator_hook(nan_from_iteration_three))
    with pytest.raises(FloatingPointError, match="iteration 3"):
        est.fit(X)


@pytest.fixture
def sigint_outside_fit():
    """Replace the SIGINT handler for the test by one that only counts signals.

    A SIGINT that ClusterGAN.fit fails to intercept is then counted instead of
    aborting the whole pytest run with KeyboardInterrupt.
    """
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("SIGINT handling needs the main thread")
    received = []

    def count(signum, frame):
        received.append(signum)

    original = signal.signal(signal.SIGINT, count)
    try:
        yield count, received
    finally:
        signal.signal(signal.SIGINT, original)


def test_ctrl_c_stops_fit_with_a_warning_and_a_usable_model(blobs, sigint_outside_fit):
    X, _ = blobs
    handler, received = sigint_outside_fit

    def interrupt_once(n_calls, out):
        if n_calls == 10:  # in iteration 5 (two generator calls per iteration)
            signal.raise_signal(signal.SIGINT)
        return out

    est = tiny(max_iter=100, architecture=_architecture_with_generator_hook(interrupt_once))
    with pytest.warns(RuntimeWarning, match="interrupted after 5 iterations"):
        est.fit(X)
    assert received == []  # fit handled the signal itself ...
    assert signal.getsignal(signal.SIGINT) is handler  # ... and restored the handler
    assert est.n_iter_ == 5
    assert all(len(values) == 5 for values in est.history_.values())
    assert est.predict(X).shape == (len(X),)
    np.testing.assert_array_equal(est.predict(X), est.labels_)
    assert est.cluster_centers_.shape == (N_CLUSTERS, X.shape[1])
    assert np.isfinite(est.transform(X)).all()


def test_second_ctrl_c_aborts_fit_and_restores_the_handler(blobs, sigint_outside_fit):
    X, _ = blobs
    handler, received = sigint_outside_fit

    def interrupt_twice(n_calls, out):
        if n_calls in (3, 4):  # both in iteration 2
            signal.raise_signal(signal.SIGINT)
        return out

    est = tiny(max_iter=100, architecture=_architecture_with_generator_hook(interrupt_twice))
    with pytest.raises(KeyboardInterrupt):
        est.fit(X)
    assert received == []
    assert signal.getsignal(signal.SIGINT) is handler


# ----------------------------------------------------------------- architecture
def test_custom_architecture_callable(blobs):
    X, _ = blobs
    calls = []

    def architecture(n_features, latent_dim, n_clusters):
        calls.append((n_features, latent_dim, n_clusters))
        z_dim = latent_dim + n_clusters
        generator = torch.nn.Sequential(
            torch.nn.Linear(z_dim, 16), torch.nn.ReLU(), torch.nn.Linear(16, n_features)
        )
        critic = torch.nn.Sequential(
            torch.nn.Linear(n_features, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 1)
        )
        encoder = torch.nn.Sequential(
            torch.nn.Linear(n_features, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, z_dim)
        )
        return generator, critic, encoder

    est = tiny(max_iter=10, architecture=architecture).fit(X)
    assert calls == [(X.shape[1], LATENT_DIM, N_CLUSTERS)]
    assert est.predict(X).shape == (len(X),)
    assert est.transform(X).shape == (len(X), LATENT_DIM)
    assert est.cluster_centers_.shape == (N_CLUSTERS, X.shape[1])
    # layers are initialised under the seed: reproducible, global state untouched
    np.testing.assert_array_equal(
        tiny(max_iter=10, architecture=architecture).fit(X).transform(X), est.transform(X)
    )


@pytest.mark.parametrize(
    "returned, match",
    [
        (None, "must return a tuple"),
        ((torch.nn.Linear(5, 1), torch.nn.Linear(5, 1)), "must return a tuple"),
        (("generator", "critic", "encoder"), "returned a str as the generator"),
        (
            (torch.nn.Linear(5, 5), "critic", torch.nn.Linear(5, 5)),
            "returned a str as the discriminator",
        ),
    ],
    ids=["none", "two-modules", "strings", "string-critic"],
)
def test_architecture_returning_garbage_raises_type_error(blobs, returned, match):
    X, _ = blobs
    est = tiny(architecture=lambda n_features, latent_dim, n_clusters: returned)
    with pytest.raises(TypeError, match=match):
        est.fit(X)


def test_conv_architecture_on_small_images():
    digits = load_digits()
    X = digits.data[:120]
    est = ClusterGAN(
        n_clusters=3,
        latent_dim=2,
        image_shape=(1, 8, 8),
        max_iter=3,
        batch_size=16,
        n_critic=1,
        device="cpu",
        random_state=0,
    ).fit(X)
    assert est.predict(X).shape == (120,)
    assert est.transform(X).shape == (120, 2)
    assert est.cluster_centers_.shape == (3, 64)
    # pixels are scaled globally: the centres stay within the pixel range [0, 16]
    assert est.cluster_centers_.min() >= 0.0 and est.cluster_centers_.max() <= 16.0
    assert est.n_iter_ == 3
    assert np.isfinite(est.history_["critic"]).all()


def _layer_widths(net):
    layers = (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d)
    return [
        m.out_features if isinstance(m, torch.nn.Linear) else m.out_channels
        for m in net.modules()
        if isinstance(m, layers)
    ]


@pytest.mark.parametrize(
    "architecture, widths",
    [("conv", (64, 128, 1024)), ("conv-small", (32, 64, 256))],
)
def test_conv_architectures_build_the_documented_widths(architecture, widths):
    c1, c2, units = widths
    X = load_digits().data[:40]
    est = ClusterGAN(
        n_clusters=3, latent_dim=2, architecture=architecture, image_shape=(1, 8, 8),
        max_iter=2, batch_size=8, device="cpu", random_state=0,
    ).fit(X)
    assert _layer_widths(est.generator_) == [units, c2 * 2 * 2, c1, 1]
    assert _layer_widths(est.discriminator_) == [c1, c2, units, 1]
    assert _layer_widths(est.encoder_) == [c1, c2, units, 2 + 3]
    assert est.predict(X).shape == (40,)
    # conv nets scale pixels globally, whichever width
    assert est.cluster_centers_.min() >= 0.0 and est.cluster_centers_.max() <= 16.0


def test_conv_small_is_the_paper_layout_at_lower_width():
    """Same layer types in the same order as "conv"; only the widths differ."""
    X = load_digits().data[:40]
    kinds = {}
    for architecture in ("conv", "conv-small"):
        est = ClusterGAN(
            n_clusters=3, latent_dim=2, architecture=architecture, image_shape=(8, 8),
            max_iter=1, batch_size=8, device="cpu", random_state=0,
        ).fit(X)
        kinds[architecture] = [
            [type(m).__name__ for m in net.modules() if not list(m.children())]
            for net in (est.generator_, est.discriminator_, est.encoder_)
        ]
    assert kinds["conv"] == kinds["conv-small"]


def test_conv_architecture_accepts_two_dimensional_image_shape():
    X = load_digits().data[:40]
    est = ClusterGAN(
        n_clusters=2, latent_dim=2, image_shape=(8, 8), max_iter=1, batch_size=8,
        device="cpu", random_state=0,
    ).fit(X)
    assert est.predict(X).shape == (40,)


# -------------------------------------------------------------------- bad input
def _with_nan(X):
    X = X.copy()
    X[3, 1] = np.nan
    return X


def _with_inf(X):
    X = X.copy()
    X[3, 1] = np.inf
    return X


BAD_FIT_CASES = [
    pytest.param({}, _with_nan, ValueError, "Input X contains NaN", id="nan"),
    pytest.param({}, _with_inf, ValueError, "Input X contains infinity", id="inf"),
    pytest.param({}, lambda X: X + 1j, ValueError, "Complex data not supported", id="complex"),
    pytest.param(
        {}, lambda X: X.astype(str).astype(object) + "a", ValueError,
        "could not convert string to float", id="object-strings",
    ),
    pytest.param(
        {}, lambda X: np.full(X.shape, "x"), ValueError, "could not convert string to float",
        id="unicode-strings",
    ),
    pytest.param({}, lambda X: X[:, 0], ValueError, "Expected 2D array, got 1D", id="1d"),
    pytest.param({}, lambda X: X[:0], ValueError, r"0 sample\(s\)", id="zero-rows"),
    pytest.param({}, lambda X: X[:, :0], ValueError, r"0 feature\(s\)", id="zero-features"),
    pytest.param(
        {"n_clusters": 4}, lambda X: X[:3], ValueError,
        "n_samples=3 should be >= n_clusters=4", id="fewer-samples-than-clusters",
    ),
    pytest.param(
        {"image_shape": (2, 3)}, None, ValueError,
        r"image_shape=\(2, 3\) describes 6 features, but X has 5 features", id="image-shape",
    ),
    pytest.param(
        {"architecture": "conv"}, None, ValueError, "architecture='conv' needs image_shape",
        id="conv-without-image-shape",
    ),
    pytest.param(
        {"architecture": "conv-small"}, None, ValueError,
        "architecture='conv-small' needs image_shape", id="conv-small-without-image-shape",
    ),
    pytest.param(
        {"architecture": "conv-small", "image_shape": (1, 5)}, None, ValueError,
        r"image_shape=\(1, 5\) is too small for the convolutional", id="conv-small-tiny-image",
    ),
    pytest.param(
        {"architecture": "conv-large"}, None, ValueError,
        "The 'architecture' parameter of ClusterGAN must be", id="unknown-architecture",
    ),
    pytest.param(
        {"device": "tpu9"}, None, ValueError, "The 'device' parameter of ClusterGAN must be",
        id="unknown-device",
    ),
    pytest.param(
        {"n_clusters": 0}, None, ValueError, "The 'n_clusters' parameter of ClusterGAN",
        id="n_clusters=0",
    ),
    pytest.param({"sigma": -1}, None, ValueError, "The 'sigma' parameter", id="sigma=-1"),
    pytest.param({"sigma": 0}, None, ValueError, "The 'sigma' parameter", id="sigma=0"),
    pytest.param(
        {"adversarial_loss": "foo"}, None, ValueError, "The 'adversarial_loss' parameter",
        id="adversarial_loss=foo",
    ),
    pytest.param(
        {"hidden_layer_sizes": (0,)}, None, ValueError,
        "'hidden_layer_sizes' parameter of ClusterGAN must be a non-empty sequence",
        id="hidden_layer_sizes=(0,)",
    ),
    pytest.param(
        {"hidden_layer_sizes": ()}, None, ValueError, "'hidden_layer_sizes' parameter",
        id="hidden_layer_sizes=()",
    ),
    pytest.param({"max_iter": 0}, None, ValueError, "The 'max_iter' parameter", id="max_iter=0"),
    pytest.param(
        {"learning_rate_schedule": "cosine"}, None, ValueError,
        "The 'learning_rate_schedule' parameter of ClusterGAN must be a str among",
        id="learning_rate_schedule=cosine",
    ),
    pytest.param(
        {"architecture": "resnet"}, None, ValueError, "The 'architecture' parameter",
        id="architecture=resnet",
    ),
]


@pytest.mark.parametrize("params, make_X, error, match", BAD_FIT_CASES)
def test_bad_input_raises_a_clear_error(blobs, params, make_X, error, match):
    X, _ = blobs
    X = X if make_X is None else make_X(X)
    with pytest.raises(error, match=match):
        tiny(**{"max_iter": 1, **params}).fit(X)


def test_cuda_device_without_cuda_raises(blobs):
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    X, _ = blobs
    with pytest.raises(ValueError, match="CUDA is not available"):
        tiny(max_iter=1, device="cuda").fit(X)


def test_predict_with_wrong_number_of_features_raises(blobs, fitted):
    X, _ = blobs
    for method in ("predict", "transform", "predict_proba", "score"):
        with pytest.raises(ValueError, match="X has 4 features, but ClusterGAN is expecting 5"):
            getattr(fitted, method)(X[:, :4])


@pytest.mark.parametrize("method", ["predict", "transform", "predict_proba", "score"])
def test_unfitted_estimator_raises_not_fitted_error(blobs, method):
    X, _ = blobs
    with pytest.raises(NotFittedError, match="not fitted yet"):
        getattr(tiny(), method)(X)


# ------------------------------------------------------------- adversarial loss
def test_standard_gan_loss_clusters_blobs(blobs):
    X, y = blobs
    est = tiny(adversarial_loss="standard", max_iter=150).fit(X)
    assert np.isfinite(est.history_["critic"]).all()
    assert adjusted_rand_score(y, est.labels_) >= 0.9


# ------------------------------------------------------------------ persistence
def test_pickle_round_trip(blobs, fitted):
    X, _ = blobs
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))
    np.testing.assert_array_equal(restored.transform(X), fitted.transform(X))
    np.testing.assert_array_equal(restored.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_array_equal(restored.cluster_centers_, fitted.cluster_centers_)
    assert restored.score(X) == fitted.score(X)


def test_pickling_a_model_on_an_accelerator_leaves_the_live_model_in_place(blobs, monkeypatch):
    # CPU stand-in for a CUDA model: __getstate__ sends CPU copies of accelerator-held
    # networks to the pickle; the estimator itself must keep its own networks and state
    # (a bug found on an H200: pickling a CUDA model moved the live one to the CPU)
    import skclustergan._estimator as estimator_module

    est = tiny(device="cpu").fit(blobs[0])
    nets = {name: getattr(est, name) for name in ("generator_", "discriminator_", "encoder_")}
    optimizer_state = est._optimizer_state
    monkeypatch.setattr(estimator_module, "_on_accelerator", lambda module: True)
    restored = pickle.loads(pickle.dumps(est))
    for name, net in nets.items():
        assert getattr(est, name) is net
        assert getattr(restored, name) is not net
    assert est._optimizer_state is optimizer_state
    np.testing.assert_array_equal(restored.predict(blobs[0]), est.predict(blobs[0]))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")
def test_model_fitted_on_cuda_unpickles_and_predicts_on_cpu(blobs, monkeypatch):
    X, _ = blobs
    est = tiny(device="cuda").fit(X)
    assert est._model_device().type == "cuda"
    expected_labels, expected_z = est.predict(X), est.transform(X)
    payload = pickle.dumps(est)
    assert est._model_device().type == "cuda"  # pickling does not move the model
    # unpickle as on a machine without CUDA: every tensor in the pickle is on the CPU
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    restored = pickle.loads(payload)
    assert all(
        p.device.type == "cpu"
        for name in ("generator_", "discriminator_", "encoder_")
        for p in getattr(restored, name).parameters()
    )
    labels = restored.predict(X)
    assert (labels == expected_labels).mean() >= 0.99
    np.testing.assert_allclose(restored.transform(X), expected_z, atol=1e-4)


# -------------------------------------------------------------------- quality
QUALITY_PARAMS = dict(
    latent_dim=3,
    hidden_layer_sizes=(64, 64),
    scaling="minmax",
    device="cpu",
)


@pytest.fixture(scope="module")
def separated_blobs():
    X, y, centers = make_blobs(
        n_samples=600, centers=4, n_features=10, cluster_std=1.0, random_state=0,
        return_centers=True,
    )
    return X, y, centers


@pytest.fixture(scope="module")
def quality_model(separated_blobs):
    """``quality_model(seed)``: the model of the quality test for that seed, fitted once."""
    X, _, _ = separated_blobs
    models = {}

    def get(seed):
        if seed not in models:
            est = ClusterGAN(n_clusters=4, max_iter=1600, random_state=seed, **QUALITY_PARAMS)
            models[seed] = est.fit(X)
        return models[seed]

    return get


# Budget measured on these blobs (CPU, one thread, n_critic 1): min ARI over seeds 0-5
# 0.61 at 400 iterations, 0.982 at 600, 0.996 at 800, 0.996-1.0 at 1,600. With n_critic 2,
# 400 iterations gave min ARI 0.996. With scaling="global" (one range for all features)
# 400 iterations (n_critic 2) gave min ARI 0.56. Prototypes: the ratio of a prototype's
# distance to its own blob centre over its distance to the next nearest centre was at most
# 0.31-0.73 per fit at 1,600 iterations (seeds 0-5), and 0.90-0.99 for untrained models
# (a sigmoid output of about 0.5 lies mid-range, between the blobs).
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_well_separated_blobs_are_recovered(separated_blobs, quality_model, seed):
    X, y, centers = separated_blobs
    est = quality_model(seed)
    assert adjusted_rand_score(y, est.labels_) >= 0.95
    # the prototype G(0, e_k) of cluster k lies clearly nearest to the centre of the blob
    # that cluster k holds (see the measured ratios above), and is assigned to cluster k
    dist = np.linalg.norm(est.cluster_centers_[:, None] - centers[None], axis=2)
    majority_blob = [np.bincount(y[est.labels_ == k], minlength=4).argmax() for k in range(4)]
    np.testing.assert_array_equal(dist.argmin(axis=1), majority_blob)
    nearest, second = np.sort(dist, axis=1)[:, :2].T
    assert (nearest / second).max() < 0.8
    np.testing.assert_array_equal(est.predict(est.cluster_centers_), np.arange(4))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_score_of_trained_model_beats_untrained_model(separated_blobs, quality_model, seed):
    X, _, _ = separated_blobs
    trained = quality_model(seed)
    untrained = ClusterGAN(n_clusters=4, max_iter=1, random_state=seed, **QUALITY_PARAMS).fit(X)
    # measured: about -0.01 to -0.02 trained, -0.07 untrained
    assert untrained.score(X) < trained.score(X) <= 0.0
    assert trained.score(X) > 0.5 * untrained.score(X)


def test_inference_uses_the_fitted_shapes_after_set_params(blobs, fitted):
    X, _ = blobs
    model = clone(fitted).fit(X)
    labels, z = model.predict(X), model.transform(X)
    model.set_params(n_clusters=N_CLUSTERS + 2, latent_dim=LATENT_DIM + 3)
    np.testing.assert_array_equal(model.predict(X), labels)
    np.testing.assert_array_equal(model.transform(X), z)
    assert model.predict_proba(X).shape == (len(X), N_CLUSTERS)
    assert model.sample(4, random_state=0)[0].shape == (4, X.shape[1])
