"""consensus.py DATASET ITER: from the saved restarts (/tmp/s23models, probe_select.py),
the accuracy of a consensus of three restarts (every triple of the saved fits) against the
best-of-3 pick by mutual information: the restarts'
cluster probabilities aligned to the one of highest init score (Hungarian matching on
the label co-occurrence) and averaged; argmax."""
import itertools
import json
import sys
from pathlib import Path

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment

torch.set_num_threads(1)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

name, n_iter = sys.argv[1], int(sys.argv[2])
X, y = load_dataset(name, data_dir="../shared/data")
seeds = sorted({json.loads(line)["seed"] for f in Path(__file__).parent.glob(f"{name}*.jsonl")
                for line in f.read_text().splitlines()})  # every fit saved by probe_select.py
probas, scores, accs = [], [], []
for s in seeds:
    m = ClusterGAN.load(f"/tmp/s23models/{name}-{s}-{n_iter}.pt")
    p = m.predict_proba(X).astype(np.float64)
    probas.append(p)
    scores.append(m.init_scores_[0] if hasattr(m, "init_scores_") else np.nan)
    accs.append(cluster_accuracy(y, p.argmax(1)))
K = probas[0].shape[1]


def mi(p):
    m = p.mean(0)
    return -(m * np.log(m)).sum() + (p * np.log(np.clip(p, 1e-12, None))).sum(1).mean()


mis = np.array([mi(p) for p in probas])
accs = np.array(accs)


def aligned(ref, p):
    co = np.zeros((K, K))
    np.add.at(co, (ref.argmax(1), p.argmax(1)), 1)
    r, c = linear_sum_assignment(-co)
    perm = np.empty(K, int)
    perm[r] = c
    return p[:, perm]


res = {"best": [], "consensus": [], "mean": []}
for sub in itertools.combinations(range(len(probas)), 3):
    sub = list(sub)
    ref = sub[int(np.argmax(mis[sub]))]
    avg = np.mean([aligned(probas[ref], probas[i]) for i in sub], axis=0)
    res["best"].append(accs[ref])
    res["consensus"].append(cluster_accuracy(y, avg.argmax(1)))
    res["mean"].append(accs[sub].mean())
print(name, {k: round(float(np.mean(v)), 4) for k, v in res.items()})
