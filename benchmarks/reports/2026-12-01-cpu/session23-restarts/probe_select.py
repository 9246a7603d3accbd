"""probe_select.py DATASET SEED MAX_ITER -> one JSON line: a fit's accuracy beside
label-free statistics a restart (n_init) could be selected on. One thread.
DATASET: digits or pendigits (data from ../shared/data). Saves the model to
/tmp/s23models/ for statistics computed later."""
import json, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
from sklearn.metrics import silhouette_score
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

name, seed, max_iter = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X, y = load_dataset(name, data_dir="../shared/data")
latent = {"digits": 10, "pendigits": 5}[name]
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, latent_dim=latent, random_state=seed, max_iter=max_iter).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
proba = m.predict_proba(X)
rows = np.random.RandomState(0).choice(len(X), min(4000, len(X)), replace=False)
tail = {k: float(np.mean(v[-1000:])) for k, v in m.history_.items()}
m.save(f"/tmp/s23models/{name}-{seed}-{max_iter}.pt", overwrite=True)
entropies = -(proba * np.log(np.clip(proba, 1e-12, None))).sum(axis=1)
marginal = proba.mean(axis=0)
h_marginal = float(-(marginal * np.log(np.clip(marginal, 1e-12, None))).sum())
out = {"data": name, "seed": seed, "iter": max_iter, "acc": round(float(cluster_accuracy(y, p)), 4),
       "time": round(el, 1), "score": round(float(m.score(X)), 6),
       "confidence": round(float(proba.max(axis=1).mean()), 4),
       "mean_entropy": round(float(entropies.mean()), 5),
       "marginal_entropy": round(h_marginal, 5),
       "mutual_information": round(h_marginal - float(entropies.mean()), 5),
       "silhouette": round(float(silhouette_score(X[rows], p[rows])), 4),
       "tail": {k: round(v, 5) for k, v in tail.items()}}
print(json.dumps(out), flush=True)
