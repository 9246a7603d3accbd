"""``n_init``: several fits from different seeds; the one whose clusters carry the most
information about the training data is kept."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.datasets import make_blobs

from skclustergan import ClusterGAN
from skclustergan import _estimator
from skclustergan._restarts import restart_seeds, select_best
from skclustergan._training import TrainingDivergedError


def tiny(**params) -> ClusterGAN:
    defaults = dict(n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), max_iter=40,
                    batch_size=16, device="cpu", random_state=0)
    defaults.update(params)
    return ClusterGAN(**defaults)


@pytest.fixture(scope="module")
def blobs():
    X, _ = make_blobs(n_samples=90, centers=3, n_features=4, random_state=0)
    return X


@pytest.fixture
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # as in a loky worker on 2 cores with n_jobs=2
    yield
    torch.set_num_threads(before)


def test_n_init_keeps_the_restart_of_highest_score(blobs):
    model = tiny(n_init=3).fit(blobs)
    singles = [tiny(random_state=seed).fit(blobs) for seed in restart_seeds(0, 3)]
    expected = np.array([m.init_scores_[0] for m in singles])
    np.testing.assert_array_equal(model.init_scores_, expected)
    best = singles[int(np.argmax(expected))]
    np.testing.assert_array_equal(model.labels_, best.labels_)
    np.testing.assert_array_equal(model.transform(blobs), best.transform(blobs))
    assert model.n_iter_ == 40
    assert model.random_state == 0 and model.n_init == 3  # parameters untouched


def test_init_score_is_the_mutual_information_of_row_and_cluster(blobs):
    model = tiny().fit(blobs)
    assert model.init_scores_.shape == (1,)
    proba = model.predict_proba(blobs).astype(np.float64)
    marginal = proba.mean(axis=0)
    expected = -(marginal * np.log(marginal)).sum() + (proba * np.log(proba)).sum(axis=1).mean()
    np.testing.assert_allclose(model.init_scores_[0], expected, rtol=1e-5)
    assert 0 < model.init_scores_[0] <= np.log(3)


def test_init_score_favours_confident_even_clusters_over_a_merged_pair(blobs):
    """Two blobs merged into one cluster (one cluster left empty) lower the score even
    when every row is assigned with certainty."""
    model = tiny().fit(blobs)
    even = np.repeat(np.eye(3) * 50.0, 30, axis=0)  # three clusters of 30 rows, certain
    merged = np.repeat(np.eye(3)[[0, 0, 1]] * 50.0, 30, axis=0)  # 60 / 30 / 0 rows

    scores = []
    for logits in (even, merged):  # the encoder's logits replaced (one block of 90 rows)
        block = torch.as_tensor(logits, dtype=torch.float32)
        model._encoded_blocks = lambda X, heads, block=block: iter([(0, len(X), None, block)])
        labels, score = model._labels_and_information(blobs)
        np.testing.assert_array_equal(labels, logits.argmax(axis=1))
        scores.append(score)
    np.testing.assert_allclose(scores[0], np.log(3), rtol=1e-6)
    assert scores[1] < scores[0] - 0.4


def test_restarts_differ_from_each_other(blobs):
    scores = tiny(n_init=3).fit(blobs).init_scores_
    assert len(set(scores.tolist())) == 3


def test_parallel_restarts_give_the_serial_result(blobs, one_thread):
    serial = tiny(n_init=3).fit(blobs)
    parallel = tiny(n_init=3, n_jobs=2).fit(blobs)
    np.testing.assert_allclose(parallel.init_scores_, serial.init_scores_, rtol=1e-5)
    np.testing.assert_array_equal(parallel.labels_, serial.labels_)
    np.testing.assert_allclose(parallel.transform(blobs), serial.transform(blobs), atol=1e-5)


def test_n_jobs_none_follows_a_joblib_parallel_config(blobs, monkeypatch, one_thread):
    import threading

    import joblib

    from skclustergan import _restarts

    threads, fit_one = set(), _restarts._fit_one

    def recording(restart, X):
        threads.add(threading.get_ident())
        return fit_one(restart, X)

    monkeypatch.setattr(_restarts, "_fit_one", recording)
    tiny(n_init=2).fit(blobs)
    assert threads == {threading.get_ident()}  # serial, in this thread
    threads.clear()
    with joblib.parallel_config(backend="threading", n_jobs=2):
        model = tiny(n_init=2).fit(blobs)
    assert threading.get_ident() not in threads and len(threads) >= 1
    np.testing.assert_allclose(model.init_scores_, tiny(n_init=2).fit(blobs).init_scores_,
                               rtol=1e-5)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_init": 0}, "'n_init' parameter of ClusterGAN must be an int in the range"),
        ({"n_init": 2.5}, "'n_init' parameter of ClusterGAN must be an int"),
        ({"n_init": "3"}, "'n_init' parameter of ClusterGAN must be an int"),
        ({"n_jobs": "two"}, "'n_jobs' parameter of ClusterGAN must be an instance of 'int'"),
    ],
)
def test_bad_n_init_or_n_jobs_is_rejected_by_name(blobs, params, match):
    with pytest.raises(ValueError, match=match):
        tiny(**params).fit(blobs)


def test_bad_input_fails_before_any_restart_trains(blobs, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("a restart was trained on invalid input")

    monkeypatch.setattr(_estimator, "fit_restarts", no_training)
    X = blobs.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        tiny(n_init=2).fit(X)
    with pytest.raises(ValueError, match="n_samples=2 should be >= n_clusters=3"):
        tiny(n_init=2).fit(blobs[:2])
    assert np.isnan(X[0, 0]) and np.isfinite(X[1:]).all()  # the user's data untouched


def test_warm_start_continues_the_kept_restart_only(blobs):
    model = tiny(n_init=2).fit(blobs)
    kept = model.transform(blobs)
    model.set_params(warm_start=True, max_iter=10).fit(blobs)
    assert model.n_iter_ == 50 and model.init_scores_.shape == (1,)
    assert not np.allclose(model.transform(blobs), kept)


def test_refit_with_restarts_replaces_the_previous_fitted_state(blobs):
    frame = pd.DataFrame(blobs, columns=["a", "b", "c", "d"])
    model = tiny(n_init=2).fit(frame)
    assert list(model.feature_names_in_) == ["a", "b", "c", "d"]
    model.fit(blobs)
    assert not hasattr(model, "feature_names_in_")
    assert model.predict(blobs).shape == (90,)


def test_diverged_restarts_are_dropped_with_a_warning(blobs, monkeypatch):
    make = _estimator.make_restarts

    def first_diverges(estimator, seeds):
        restarts = make(estimator, seeds)

        def diverge(X):
            raise TrainingDivergedError("losses became NaN")

        restarts[0].fit = diverge
        return restarts

    monkeypatch.setattr(_estimator, "make_restarts", first_diverges)
    with pytest.warns(RuntimeWarning, match="1 of 3 restarts diverged"):
        model = tiny(n_init=3).fit(blobs)
    assert np.isnan(model.init_scores_[0]) and np.isfinite(model.init_scores_[1:]).all()
    assert model.labels_.shape == (90,)


def test_all_restarts_diverging_raises_and_leaves_a_fitted_model_as_it_was(blobs, monkeypatch):
    model = tiny().fit(blobs)
    labels = model.labels_.copy()
    make = _estimator.make_restarts

    def all_diverge(estimator, seeds):
        restarts = make(estimator, seeds)
        for restart in restarts:
            restart.fit = lambda X: (_ for _ in ()).throw(TrainingDivergedError("NaN"))
        return restarts

    monkeypatch.setattr(_estimator, "make_restarts", all_diverge)
    with pytest.raises(TrainingDivergedError):
        model.set_params(n_init=2).fit(blobs)
    np.testing.assert_array_equal(model.labels_, labels)


def test_select_best_prefers_restarts_that_ran_to_the_end():
    def fit(score, n_iter):
        return SimpleNamespace(init_scores_=np.array([score]), n_iter_=n_iter, max_iter=10)

    assert select_best([fit(0.5, 10), fit(0.9, 10), fit(0.7, 10)]) == 1
    # a Ctrl-C stopped the second restart early: the complete one is kept
    assert select_best([fit(0.5, 10), fit(0.9, 3)]) == 0
    assert select_best([fit(0.5, 4), fit(0.9, 3)]) == 1


def test_restart_seeds_are_reproducible_and_distinct():
    assert restart_seeds(0, 3) == restart_seeds(0, 3)
    assert restart_seeds(0, 3) != restart_seeds(1, 3)
    assert len(set(restart_seeds(0, 5))) == 5


def test_saved_model_keeps_n_init_and_the_scores(blobs, tmp_path):
    model = tiny(n_init=2).fit(blobs)
    path = tmp_path / "model.pt"
    model.save(path)
    loaded = ClusterGAN.load(path)
    assert loaded.n_init == 2
    np.testing.assert_array_equal(loaded.init_scores_, model.init_scores_)
    np.testing.assert_array_equal(loaded.predict(blobs), model.labels_)


def test_verbose_reports_every_restart_and_the_one_kept(blobs, capsys):
    model = tiny(n_init=2, verbose=1).fit(blobs)
    last = capsys.readouterr().out.strip().splitlines()[-1]
    kept = int(np.argmax(model.init_scores_)) + 1
    assert last.startswith("[ClusterGAN] restarts' mutual information [")
    assert last.endswith(f"kept restart {kept} of 2")


def test_a_stopped_restart_ends_the_restarts_and_only_the_kept_one_scores(blobs, monkeypatch):
    make = _estimator.make_restarts

    def second_stopped_early(estimator, seeds):
        restarts = make(estimator, seeds)
        restart, fit = restarts[1], restarts[1].fit

        def ctrl_c_after_10(X):  # as a Ctrl-C after 10 of 40 iterations would leave it
            restart.set_params(max_iter=10)
            fit(X)
            restart.max_iter = 40
            return restart

        restart.fit = ctrl_c_after_10
        return restarts

    monkeypatch.setattr(_estimator, "make_restarts", second_stopped_early)
    model = tiny(n_init=3).fit(blobs)
    assert np.isfinite(model.init_scores_[0]) and np.isnan(model.init_scores_[1:]).all()
    first = tiny(random_state=restart_seeds(0, 3)[0]).fit(blobs)
    np.testing.assert_array_equal(model.labels_, first.labels_)
