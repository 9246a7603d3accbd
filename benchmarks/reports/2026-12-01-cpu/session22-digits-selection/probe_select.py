"""probe_select.py SEED MAX_ITER -> one JSON line: a digits fit's accuracy beside
label-free statistics that a restart (n_init) could select on."""
import json, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
from scipy.stats import entropy
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled
from skclustergan.metrics import cluster_accuracy

seed, max_iter = int(sys.argv[1]), int(sys.argv[2])
X, y = load_digits_scaled()
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, latent_dim=10, random_state=seed, max_iter=max_iter).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
sizes = np.bincount(p, minlength=10) / len(p)
proba = m.predict_proba(X)
tail = {k: float(np.mean(v[-1000:])) for k, v in m.history_.items()}
out = {"seed": seed, "iter": max_iter, "acc": round(float(cluster_accuracy(y, p)), 4),
       "time": round(el, 1), "score": round(float(m.score(X)), 6),
       "confidence": round(float(proba.max(axis=1).mean()), 4),
       "size_entropy": round(float(entropy(sizes)), 4),
       "min_size": round(float(sizes.min()), 4), "max_size": round(float(sizes.max()), 4),
       "tail": {k: round(v, 5) for k, v in tail.items()}}
print(json.dumps(out), flush=True)
