"""Parallel model selection: joblib backends (loky, threading, Dask) give the serial
results, and loky workers run torch with a limited number of threads.

The plain ``GridSearchCV(n_jobs=1)`` versus ``n_jobs=2`` comparison with both
scoring kinds is in test_estimator.py; see docs/parallel.rst for the user guide.
"""

from __future__ import annotations

import os

import joblib
import numpy as np
import pytest
import torch
from sklearn.datasets import make_blobs
from sklearn.model_selection import GridSearchCV

from skclustergan import ClusterGAN

GRID = {"beta_n": [0.0, 10.0], "sigma": [0.1, 0.2]}
COMPARED = ("params", "split0_test_score", "split1_test_score", "mean_test_score",
            "rank_test_score")


def tiny(**params) -> ClusterGAN:
    defaults = dict(n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), max_iter=10,
                    batch_size=16, device="cpu", random_state=0)
    defaults.update(params)
    return ClusterGAN(**defaults)


@pytest.fixture(scope="module")
def blobs():
    X, _ = make_blobs(n_samples=80, centers=3, n_features=3, random_state=0)
    return X


def search(X, n_jobs):
    return GridSearchCV(tiny(), GRID, cv=2, n_jobs=n_jobs).fit(X)


@pytest.fixture(scope="module")
def serial(blobs):
    return search(blobs, n_jobs=1).cv_results_


def assert_same_results(results, expected):
    for key in COMPARED:
        if key == "params":
            assert results[key] == expected[key]
        else:
            np.testing.assert_array_equal(results[key], expected[key], err_msg=key)
    assert np.isfinite(results["mean_test_score"]).all()


# ----------------------------------------------------------------- threads per worker
def fit_and_report_threads():
    """Runs in a worker: fit a tiny model, then report torch's intra-op thread count."""
    X, _ = make_blobs(n_samples=40, centers=3, n_features=3, random_state=0)
    tiny(max_iter=2).fit(X)
    return torch.get_num_threads(), os.environ.get("OMP_NUM_THREADS")


@pytest.mark.parametrize("inner", [None, 1])
def test_loky_workers_limit_torch_threads(inner, monkeypatch):
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)  # loky passes a value set here on as it is
    n_jobs = 2
    with joblib.parallel_config(backend="loky", inner_max_num_threads=inner):
        reports = joblib.Parallel(n_jobs=n_jobs)(
            joblib.delayed(fit_and_report_threads)() for _ in range(n_jobs)
        )
    # joblib gives each loky worker cpu_count // n_jobs threads (OMP_NUM_THREADS and
    # friends, set before torch is imported there); torch and the estimator keep it
    limit = inner if inner is not None else max(joblib.cpu_count() // n_jobs, 1)
    for threads, omp in reports:
        assert omp == str(limit)
        assert threads == limit


# ------------------------------------------------------------- same results as serial
def test_loky_all_cores_gives_the_serial_results(blobs, serial):
    assert_same_results(search(blobs, n_jobs=-1).cv_results_, serial)


def test_threading_backend_gives_the_serial_results(blobs, serial):
    # fits share one process: network initialisation must not race on torch's
    # global generator
    for _ in range(2):
        with joblib.parallel_config(backend="threading"):
            assert_same_results(search(blobs, n_jobs=2).cv_results_, serial)


def _dask_search(blobs, processes):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=processes, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        with joblib.parallel_config(backend="dask"):
            return search(blobs, n_jobs=-1).cv_results_


def test_dask_threads_cluster_gives_the_serial_results(blobs, serial):
    assert_same_results(_dask_search(blobs, processes=False), serial)


@pytest.mark.slow  # starts two worker processes that import torch (~20 s here)
def test_dask_process_cluster_gives_the_serial_results(blobs, serial):
    assert_same_results(_dask_search(blobs, processes=True), serial)
