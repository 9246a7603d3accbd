"""probe11.py DATASET SEED MAX_ITER TAG CRITIC_HIDDEN -> one JSON line.

The critic D gets hidden layers CRITIC_HIDDEN (JSON list, e.g. [512, 512]) while G and E keep
the default (256, 256): the counterpart of the twenty-seventh session's encoder-only widths (probe7.py).
"""
import json, sys, time
import torch
torch.set_num_threads(1)
from torch import nn
import skclustergan._estimator as est
from skclustergan import ClusterGAN
from skclustergan._networks import _mlp, build_mlp_networks
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi

ds, seed, max_iter, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
d_hidden = json.loads(sys.argv[5])


def build(n_features, latent_dim, n_clusters, hidden_layer_sizes=(256, 256), output_activation="sigmoid"):
    g, d, e = build_mlp_networks(n_features, latent_dim, n_clusters, hidden_layer_sizes, output_activation)
    d = nn.Sequential(*_mlp([n_features, *d_hidden], batch_norm=False, slope=0.2),
                      nn.Linear(d_hidden[-1], 1))
    return g, d, e


est.build_mlp_networks = build
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
else:
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, "critic_hidden": d_hidden,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
    "time": round(el, 1)}), flush=True)
