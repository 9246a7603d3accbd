"""probe12.py DATASET SEED MAX_ITER -> one JSON line.

G's BatchNorm layers without a learned scale (gamma fixed at 1, beta learned), as
tf.contrib.layers.batch_norm builds them by default (scale=False) in the official code. The
written-out generator step runs unchanged; its gamma gradients are zeroed before each Adam step,
and Adam moves a parameter whose gradient has always been zero by exactly 0.
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
    update = self._generator_update
    gammas = [b.norm.weight for b in self.layout.generator if b.norm is not None]
    assert gammas

    def frozen(z_n, z):
        losses = update(z_n, z)
        for g in gammas:
            g.grad.zero_()
        return losses
    self._generator_update = frozen


mt.MlpTrainer.__init__ = init
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
else:
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
g = [mod.weight for mod in m.generator_.modules() if isinstance(mod, torch.nn.BatchNorm1d)]
assert all(bool((w == 1).all()) for w in g), "gamma moved"
print(json.dumps({"ds": ds, "tag": "g-bn-no-scale", "seed": seed, "iter": max_iter,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
    "time": round(el, 1)}), flush=True)
