"""What every probe of this folder shares: its command line DATASET SEED MAX_ITER [EXTRA ...],
one fit of ClusterGAN's defaults on one thread (n_clusters 10; latent_dim 10 on digits, the
paper's 5 on Pendigits) and one JSON line with its accuracy, NMI and time.

A probe patches the estimator first (module attributes), then calls :func:`fit_and_report`.
"""
import json, sys, time
import torch
torch.set_num_threads(1)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi


def command_line(*extra):
    """(dataset, seed, max_iter, *extra) from sys.argv; ``extra`` are the EXTRA arguments' types."""
    ds, seed, max_iter = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    return (ds, seed, max_iter, *(kind(value) for kind, value in zip(extra, sys.argv[4:])))


def fit_and_report(ds, seed, max_iter, tag, fields=None, inspect=None):
    """Fit, print the JSON line (``fields`` and ``inspect(model, X)``'s dict added) and return the model."""
    if ds == "digits":
        X, y = load_digits_scaled(); kw = dict(latent_dim=10)
    else:
        X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
    t = time.perf_counter()
    model = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
    elapsed = time.perf_counter() - t
    p = model.predict(X)
    record = {"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, **(fields or {}),
              "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
              "time": round(elapsed, 1)}
    record.update(inspect(model, X) if inspect else {})
    print(json.dumps(record), flush=True)
    return model
