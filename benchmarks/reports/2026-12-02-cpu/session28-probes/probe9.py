"""probe9.py DATASET SEED MAX_ITER -> one JSON line.

The gradient penalty with ONE interpolation weight per batch, as the official TF code draws it
(eps ~ U(0, 1) shared by all rows), instead of the estimator's (and Gulrajani et al.'s) one weight per
row. Same random draws; the first row's weight is used for the whole batch.
"""
import json, sys, time
import torch
torch.set_num_threads(1)
import skclustergan._mlp_trainer as mt
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi

ds, seed, max_iter = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
_init = mt.MlpTrainer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    update = self._critic_update
    self._critic_update = lambda real, z, eps, signs: update(real, z, eps[:1].expand_as(eps), signs)


mt.MlpTrainer.__init__ = init
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
else:
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": "gp-eps-per-batch", "seed": seed, "iter": max_iter,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
    "time": round(el, 1)}), flush=True)
