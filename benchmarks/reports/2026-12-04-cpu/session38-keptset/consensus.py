"""Would a consensus of two or three fits, read out with propagate, beat one fit?

For every pair and triple of the saved fits of one data set: the fits' cluster
probabilities (float64, from E's logits) aligned to the fit of highest mutual information
(Hungarian matching on the co-occurrence of their argmax labels; no labels used), averaged,
then the argmax, and the propagate read-out on that average (each cluster's most confident
half by the averaged probability keeps its label; the rest take the vote of their 10
nearest kept rows, as the product). Against the mean of the single fits' argmax and
propagate read-outs, and the pick of highest mutual information (``n_init``'s rule).

    python benchmarks/reports/2026-12-04-cpu/session38-keptset/consensus.py DATASET MODEL.pt ...
"""

import itertools
import json
import sys

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from scipy.special import log_softmax, logsumexp

from skclustergan import ClusterGAN
from skclustergan._propagate import confident_rows, propagate_labels
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(1)
dataset, paths = sys.argv[1], sys.argv[2:]
X, y = load_dataset(dataset, "../shared/data", random_state=0)
logps, single_prop = [], []
for path in paths:
    model = ClusterGAN.load(path)
    logps.append(log_softmax(np.asarray(model._encode(X, "c")[1], dtype=np.float64), axis=1))
    single_prop.append(cluster_accuracy(y, model.predict(X, method="propagate")))
Xs = model.scaling_.forward(X, torch.float32, torch.device("cpu"))  # same scaling for all fits
k = logps[0].shape[1]
labels = [lp.argmax(1) for lp in logps]
single = [cluster_accuracy(y, lab) for lab in labels]


def mutual_information(lp):
    p = np.exp(lp)
    m = p.mean(0)
    return float(-(m * np.log(m)).sum() + (p * lp).sum(1).mean())


mis = [mutual_information(lp) for lp in logps]


def aligned(ref, other):
    """Log-probabilities of ``other`` with its clusters renamed to ``ref``'s."""
    counts = np.zeros((k, k))
    np.add.at(counts, (labels[ref], labels[other]), 1)
    rows, cols = linear_sum_assignment(-counts)
    order = np.empty(k, dtype=int)
    order[rows] = cols  # ref cluster r <- other cluster order[r]
    return logps[other][:, order]


def propagate(lab, conf):
    keep = confident_rows(lab, conf, k)
    out = lab.copy()
    kept = torch.as_tensor(keep)
    out[~keep] = propagate_labels(Xs[kept], torch.as_tensor(lab[keep]), Xs[~kept], k).numpy()
    return cluster_accuracy(y, out)


for size in (2, 3):
    res = {
        "single_argmax": [],
        "single_propagate": [],
        "mi_pick": [],
        "mi_pick_propagate": [],
        "consensus_argmax": [],
        "consensus_propagate": [],
    }
    for group in itertools.combinations(range(len(paths)), size):
        ref = max(group, key=lambda i: mis[i])
        avg = logsumexp([aligned(ref, i) for i in group], axis=0) - np.log(size)
        lab = avg.argmax(1)
        res["single_argmax"].append(np.mean([single[i] for i in group]))
        res["single_propagate"].append(np.mean([single_prop[i] for i in group]))
        res["mi_pick"].append(single[ref])
        res["mi_pick_propagate"].append(single_prop[ref])
        res["consensus_argmax"].append(cluster_accuracy(y, lab))
        res["consensus_propagate"].append(propagate(lab, avg.max(1)))
    row = {
        "dataset": dataset,
        "fits": len(paths),
        "group": size,
        "groups": len(res["single_argmax"]),
    }
    row.update({key: round(float(np.mean(v)), 4) for key, v in res.items()})
    row["consensus_propagate_min"] = round(float(np.min(res["consensus_propagate"])), 4)
    print(json.dumps(row), flush=True)
