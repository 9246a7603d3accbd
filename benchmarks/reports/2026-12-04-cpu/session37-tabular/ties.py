"""Which rows should keep E's label in predict(method="propagate")? One saved model, one line.

Variants of the kept set (each cluster of the argmax keeps half its rows unless stated; the
others take the vote of their 10 nearest kept rows in the scaled space, as in the product):
``margin`` the product (float64 log-probability, largest first); ``margin_q0.25`` /
``margin_q0.75`` other fractions; ``p32`` predict_proba's float32 maximum, ties (rows at
exactly 1.0) to the earlier row, as session 33's partition.py ranked them; ``random`` a
seeded random half, no confidence at all (the control).

    python benchmarks/reports/2026-12-04-cpu/session37-tabular/ties.py MODEL.pt  # DATASET-seedS.pt
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch

from skclustergan import ClusterGAN
from skclustergan._propagate import confident_rows, log_confidence, propagate_labels
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(2)
path = Path(sys.argv[1])
dataset = path.stem.rsplit("-seed", 1)[0]
model = ClusterGAN.load(path)
X, y = load_dataset(dataset, "../shared/data", random_state=0)
k = model.n_clusters
labels, margin = log_confidence(model._encode(X, "c")[1])
p32 = model.predict_proba(X).max(1)
Xs = model.scaling_.forward(X, torch.float32, torch.device("cpu"))


def propagate(keep):
    out = labels.copy()
    kept = torch.as_tensor(labels[keep])
    out[~keep] = propagate_labels(Xs[torch.as_tensor(keep)], kept, Xs[torch.as_tensor(~keep)], k).numpy()
    return round(cluster_accuracy(y, out), 4)


rng = np.random.default_rng(0)
row = {"model": str(path), "argmax": round(cluster_accuracy(y, labels), 4),
       "saturated_p32": round(float((p32 == 1.0).mean()), 4)}
row["margin"] = propagate(confident_rows(labels, margin, k))
row["margin_q0.25"] = propagate(confident_rows(labels, margin, k, 0.25))
row["margin_q0.75"] = propagate(confident_rows(labels, margin, k, 0.75))
row["p32"] = propagate(confident_rows(labels, p32, k))
row["random"] = propagate(confident_rows(labels, rng.random(len(X)), k))
row["product_check"] = round(cluster_accuracy(y, model.predict(X, method="propagate")), 4)
print(json.dumps(row), flush=True)
