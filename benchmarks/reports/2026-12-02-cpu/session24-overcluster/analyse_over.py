"""analyse_over.py DATASET ITER MODES: merge read-outs of the overclustered fits saved by
probe_over.py, K = 10 clusters from MODES generator modes. Prints one line per fit and
the means. Read-outs:
  purity    each mode to its majority class (uses the labels: the ceiling of any merge)
  km_lat    KMeans(10, n_init=10) on [E_n(x), softmax E_c(x)] (the paper's read-out)
  ward_x    Ward merge of the modes by their rows in the data space (argmax partition)
  ward_g    Ward merge of the modes by the mean of generated samples per mode
  overlap   spectral merge of the modes on the posterior overlap P^T P
"""
import json, sys
from pathlib import Path
import numpy as np
import torch
torch.set_num_threads(1)
from sklearn.cluster import KMeans, AgglomerativeClustering, SpectralClustering
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy, purity_score

name, n_iter, modes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X, y = load_dataset(name, data_dir="../shared/data")
K = 10
here = Path(__file__).parent
seeds = sorted({json.loads(l)["seed"] for l in (here / f"{name}.jsonl").read_text().splitlines()
                if json.loads(l)["modes"] == modes and json.loads(l)["iter"] == n_iter})


def merge_by_centroids(labels, feats, weights=None):
    """Ward on the mode centroids (weighted by counts via repetition-free formula)."""
    used = np.unique(labels)
    cent = np.stack([feats[labels == u].mean(0) for u in used])
    n = np.array([(labels == u).sum() for u in used], float)
    # Ward on centroids with sizes: agglomerate greedily by the Ward cost
    groups = [[i] for i in range(len(used))]
    c, w = list(cent), list(n)
    while len(groups) > K:
        best, pair = np.inf, None
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                cost = w[a] * w[b] / (w[a] + w[b]) * ((c[a] - c[b]) ** 2).sum()
                if cost < best:
                    best, pair = cost, (a, b)
        a, b = pair
        c[a] = (w[a] * c[a] + w[b] * c[b]) / (w[a] + w[b]); w[a] += w[b]
        groups[a] += groups[b]
        del groups[b], c[b], w[b]
    mapping = {}
    for g, members in enumerate(groups):
        for i in members:
            mapping[used[i]] = g
    return np.array([mapping[l] for l in labels])


rows = []
for s in seeds:
    m = ClusterGAN.load(f"/tmp/s24models/{name}-{s}-{n_iter}-{modes}.pt")
    P = m.predict_proba(X)
    Z = m.transform(X)
    lab = P.argmax(1)
    r = {"seed": s, "used": len(np.unique(lab)), "purity": purity_score(y, lab)}
    lat = np.hstack([Z, P])
    r["km_lat"] = cluster_accuracy(y, KMeans(K, n_init=10, random_state=0).fit_predict(lat))
    r["ward_x"] = cluster_accuracy(y, merge_by_centroids(lab, X))
    # generated samples: mean per mode
    gen = []
    for k in range(modes):
        Xg = m.sample(2000, cluster=k, random_state=s)
        Xg = Xg[0] if isinstance(Xg, tuple) else Xg
        gen.append(np.asarray(Xg).reshape(2000, -1).mean(0))
    gen = np.stack(gen)
    groups = AgglomerativeClustering(K, linkage="ward").fit_predict(gen)
    r["ward_g"] = cluster_accuracy(y, groups[lab])
    A = P.T @ P
    A = A / np.sqrt(np.outer(np.diag(A), np.diag(A)))
    g2 = SpectralClustering(K, affinity="precomputed", random_state=0).fit_predict(A)
    r["overlap"] = cluster_accuracy(y, g2[lab])
    rows.append(r)
    print({k: (round(float(v), 4) if isinstance(v, float) else v) for k, v in r.items()}, flush=True)
keys = [k for k in rows[0] if k not in ("seed",)]
print("mean", {k: round(float(np.mean([r[k] for r in rows])), 4) for k in keys})
