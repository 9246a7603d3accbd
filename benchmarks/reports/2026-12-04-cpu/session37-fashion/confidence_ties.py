"""Fashion-MNIST saved fits: does the ranking of near-certain rows change predict(method="propagate")?

The product ranks by the float64 log-probability of the argmax (distinct for every row);
session 33's partition.py ranked by predict_proba's float32 maximum, which is exactly 1.0 for
most rows, so among those the kept half is chosen by row order. Superseded by
../session37-tabular/ties.py (the same two rankings and more); kept as the script behind
confidence_ties.txt. Usage, from the root:
    python benchmarks/reports/2026-12-04-cpu/session37-fashion/confidence_ties.py MODEL.pt
"""
import sys
import time

import numpy as np
import torch

from skclustergan import ClusterGAN
from skclustergan._propagate import confident_rows, log_confidence, propagate_labels
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(2)
m = ClusterGAN.load(sys.argv[1]); X, y = load_dataset("fashion-mnist", "../shared/data", random_state=0)
print("scaling", m.scaling, type(m.scaling_).__name__, getattr(m.scaling_, "__dict__", {}).keys())
logits = m._encode(X, "c")[1]
labels, conf = log_confidence(logits)
proba = m.predict_proba(X); pconf = proba.max(1)
print("ties at max proba:", (pconf == 1.0).mean())
def prop(space, confidence):
    keep = confident_rows(labels, confidence, 10)
    out = labels.copy()
    kept = torch.as_tensor(space[keep], dtype=torch.float32)
    out[~keep] = propagate_labels(kept, torch.as_tensor(labels[keep]), torch.as_tensor(space[~keep], dtype=torch.float32), 10).numpy()
    return out, keep
Xs = m.scaling_.forward(X, torch.float32, torch.device("cpu")).numpy()
print("scaled range", Xs.min(), Xs.max(), "raw", X.min(), X.max(), "max|Xs-X|", np.abs(Xs - X).max())
for name, space, c in [("scaled,logconf", Xs, conf), ("raw,logconf", X, conf), ("scaled,proba32", Xs, pconf)]:
    t = time.time(); out, keep = prop(space, c)
    print(name, round(cluster_accuracy(y, out), 4), "kept overlap with logconf:", (keep == confident_rows(labels, conf, 10)).mean(), round(time.time() - t, 1))
print("product", round(cluster_accuracy(y, m.predict(X, method="propagate")), 4))
