"""Restarts (``n_init``): independent fits from different seeds, the best one kept.

A GAN's clusters depend on its initialisation: some fits merge two groups into one
cluster and split another. Without labels, the fit to keep is the one whose encoder's
clusters carry the most information about the training data (:func:`select_best`).
"""

from __future__ import annotations

import warnings

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import clone
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_random_state

from ._training import TrainingDivergedError

_SEED_HIGH = np.iinfo(np.int32).max


def restart_seeds(random_state, n_init: int) -> list[int]:
    """One integer seed per restart, drawn from ``random_state`` (None: numpy's global
    random state, as everywhere in scikit-learn)."""
    rng = check_random_state(random_state)
    return [int(seed) for seed in rng.randint(_SEED_HIGH, size=n_init)]


def make_restarts(estimator, seeds: list[int]) -> list:
    """Unfitted single-fit copies of ``estimator``, one per seed."""
    return [
        clone(estimator).set_params(n_init=1, n_jobs=None, random_state=seed, warm_start=False)
        for seed in seeds
    ]


def _fit_one(restart, X):
    """Fit one restart; a diverged fit comes back as its error instead of raising."""
    try:
        return restart.fit(X)
    except TrainingDivergedError as exc:
        return exc


def fit_restarts(restarts: list, X, n_jobs) -> list:
    """Fit every restart, in parallel over ``n_jobs`` joblib workers when asked.

    Serially, a Ctrl-C (which stops the running fit after a complete iteration)
    starts no further restart. Returns the fitted estimators, or the
    TrainingDivergedError of those that diverged.
    """
    if effective_n_jobs(n_jobs) == 1:  # None: 1 unless a joblib.parallel_config says more
        fitted = []
        for restart in restarts:
            fitted.append(_fit_one(restart, X))
            if not isinstance(fitted[-1], Exception) and _interrupted(fitted[-1]):
                break
        return fitted
    return Parallel(n_jobs=n_jobs)(delayed(_fit_one)(restart, X) for restart in restarts)


def ran_to_the_end(model) -> bool:
    """Whether a restart was fitted and not stopped early by a Ctrl-C."""
    return not isinstance(model, Exception) and not _interrupted(model)


def _interrupted(model) -> bool:
    return model.n_iter_ < model.max_iter


def select_best(fitted: list):
    """Index of the restart to keep: the highest ``init_scores_`` (the mutual
    information between a training row and its cluster under the encoder) among the fits
    that ran to the end (among the interrupted ones when none did)."""
    usable = [i for i, m in enumerate(fitted) if not isinstance(m, Exception)]
    if not usable:
        raise fitted[0]
    complete = [i for i in usable if ran_to_the_end(fitted[i])] or usable
    if len(usable) < len(fitted):
        warnings.warn(
            f"{len(fitted) - len(usable)} of {len(fitted)} restarts diverged (the losses became "
            "NaN or infinite) and were dropped; consider a lower learning_rate.",
            RuntimeWarning,
            stacklevel=3,
        )
    return max(complete, key=lambda i: fitted[i].init_scores_[0])
