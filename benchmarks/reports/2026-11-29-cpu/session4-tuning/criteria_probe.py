"""Ad-hoc probe (fourth session): accuracy of digits fits beside label-free criteria.

Usage: python criteria_probe.py N_ITER SEEDS [PARAMS_JSON], e.g.
``python criteria_probe.py 20000 0,1 '{"learning_rate_schedule": "linear"}'``.
Prints one JSON line per seed: ACC, ``score`` (minus the reconstruction error),
``w`` (the critic's mean score on the data minus on 1,797 samples), ``conf``
(mean largest cluster probability), ``entropy`` of the cluster sizes.
"""

import json
import sys
import time

import numpy as np
import torch
from sklearn.datasets import load_digits

from skclustergan import ClusterGAN
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(1)
n_iter = int(sys.argv[1])
seeds = [int(s) for s in sys.argv[2].split(",")]
params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
X, y = load_digits(return_X_y=True)
for seed in seeds:
    t = time.process_time()
    m = ClusterGAN(n_clusters=10, max_iter=n_iter, random_state=seed, device="cpu", **params).fit(X)
    cpu = time.process_time() - t
    pred = m.predict(X)
    proba = m.predict_proba(X)
    xs = m.scaling_.forward(X, torch.float32, torch.device("cpu"))
    with torch.no_grad():
        d_real = float(m.discriminator_.eval()(xs).mean())
        fake, _ = m.sample(len(X), random_state=0)
        d_fake = float(
            m.discriminator_(m.scaling_.forward(fake, torch.float32, torch.device("cpu"))).mean()
        )
    counts = np.bincount(pred, minlength=10) / len(X)
    ent = float(-(counts[counts > 0] * np.log(counts[counts > 0])).sum())
    rec = {
        "seed": seed,
        "n_iter": n_iter,
        "params": params,
        "acc": round(cluster_accuracy(y, pred), 4),
        "score": float(m.score(X)),
        "w": d_real - d_fake,
        "conf": float(proba.max(1).mean()),
        "entropy": ent,
        "cpu_s": round(cpu, 1),
    }
    print(json.dumps(rec), flush=True)
