"""Which rows should keep E's label in predict(method="propagate")? One saved model, one line.

Pre-registered before the fresh fits of ``run_fits.sh`` finished (thirty-eighth session):
each cluster of the argmax keeps half its rows (the product's ``KEEP_FRACTION``); the
others take the vote of their 10 nearest kept rows in the scaled space, as in the product.
The variants differ only in which half is kept:

``margin``        the product: largest float64 log-probability first.
``capped_L``      rows whose probability is at least ``L`` count as equally confident and
                  are taken in a seeded random order (three orders, their accuracies
                  averaged; ``capped_L_sd`` their spread); the rest by margin, as the
                  product. L = 0.99, 0.999999 and float32's 1.0 (p > 1 - 2**-25).
``p32``           predict_proba's float32 maximum, ties to the earlier row (session 37's
                  ties.py; depends on the row order, so not a candidate for the product).
``random``        a seeded random half, no confidence at all (the control; three seeds).
``spread``        exploratory, not a kept-set rule: the product's kept half as the labelled
                  rows of sklearn's ``LabelSpreading(kernel="knn", n_neighbors=10,
                  alpha=0.2)`` on the scaled rows (iterated diffusion over the kNN graph of
                  all rows instead of one vote of the nearest kept rows).
``agree``         exploratory: the kept rows are those on which the argmax and
                  ``predict(method="nearest")`` (G's bank vote) agree, whatever their
                  number; the others take the 10-NN vote of those (``agree_kept``: the
                  share kept). ``nearest``: that read-out alone, for reference.

Decision rule, fixed beforehand: a variant replaces ``margin`` only if, over every fresh
fit, its mean ACC is at least 0.005 higher and it is higher on at least two thirds of them.

    python benchmarks/reports/2026-12-04-cpu/session38-keptset/keptset.py MODEL.pt [DATA_DIR]
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch
from sklearn.semi_supervised import LabelSpreading

from skclustergan import ClusterGAN
from skclustergan._propagate import confident_rows, log_confidence, propagate_labels
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
path = Path(sys.argv[1])
data_dir = sys.argv[2] if len(sys.argv) > 2 else "../shared/data"
dataset = path.stem.rsplit("-seed", 1)[0]
model = ClusterGAN.load(path)
X, y = load_dataset(dataset, data_dir, random_state=0)
k = model.n_clusters
labels, margin = log_confidence(model._encode(X, "c")[1])
p32 = model.predict_proba(X).max(1)
Xs = model.scaling_.forward(X, torch.float32, torch.device("cpu"))
LEVELS = {"0.99": np.log(0.99), "0.999999": np.log1p(-1e-6), "f32": np.log1p(-(2.0**-25))}


def propagate(keep):
    out = labels.copy()
    kept = torch.as_tensor(labels[keep])
    other = torch.as_tensor(~keep)
    out[~keep] = propagate_labels(Xs[torch.as_tensor(keep)], kept, Xs[other], k).numpy()
    return cluster_accuracy(y, out)


def capped(level, seed):
    """Rank: rows at or above ``level`` first, in a random order; then the rest by margin."""
    tiebreak = np.random.default_rng(seed).random(len(X))
    above = margin >= level
    # above the level: 1 + a random number in [0, 1); below: the margin itself (<= 0)
    score = np.where(above, 1.0 + tiebreak, margin)
    return score, above


row = {"model": str(path), "argmax": round(cluster_accuracy(y, labels), 4)}
row["margin"] = round(propagate(confident_rows(labels, margin, k)), 4)
for name, level in LEVELS.items():
    accs = []
    for seed in range(3):
        score, above = capped(level, seed)
        accs.append(propagate(confident_rows(labels, score, k)))
    row[f"capped_{name}"] = round(float(np.mean(accs)), 4)
    row[f"capped_{name}_sd"] = round(float(np.std(accs)), 4)
    row[f"above_{name}"] = round(float(above.mean()), 4)
row["p32"] = round(propagate(confident_rows(labels, p32, k)), 4)
accs = [
    propagate(confident_rows(labels, np.random.default_rng(s).random(len(X)), k)) for s in range(3)
]
row["random"] = round(float(np.mean(accs)), 4)
partial = np.where(confident_rows(labels, margin, k), labels, -1)
spread = LabelSpreading(kernel="knn", n_neighbors=10, alpha=0.2, max_iter=100, n_jobs=1)
row["spread"] = round(cluster_accuracy(y, spread.fit(Xs.numpy(), partial).transduction_), 4)
near = model.predict(X, method="nearest")
row["nearest"] = round(cluster_accuracy(y, near), 4)
agree = near == labels
row["agree"] = round(propagate(agree), 4) if agree.any() and not agree.all() else row["argmax"]
row["agree_kept"] = round(float(agree.mean()), 4)
row["product_check"] = round(cluster_accuracy(y, model.predict(X, method="propagate")), 4)
print(json.dumps(row), flush=True)
