"""probe13.py DATASET SEED MAX_ITER RAMP -> one JSON line.

beta_c ramped linearly from 0 to its default 10 over the first RAMP generator steps, then held:
G first learns the data with z_c unused, and the cluster-recovery loss then partitions what it
has learned, instead of fixing the partition while G's samples are still noise. beta_c enters the
written-out generator step as two 0-d tensors (the loss weight and d loss / d logits), which are
rewritten in place before each step.
"""
import json, sys, time
import torch
torch.set_num_threads(1)
import skclustergan._mlp_trainer as mt
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi

ds, seed, max_iter, ramp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
_init = mt.MlpTrainer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    update, w, n = self._generator_update, self._weights, self.config.batch_size
    beta_c, step = float(w.beta_c), [0]

    def ramped(z_n, z):
        b = beta_c * min(1.0, step[0] / ramp)
        step[0] += 1
        w.beta_c.fill_(b)
        w.zc_grad.fill_(b / n)
        return update(z_n, z)
    self._generator_update = ramped


mt.MlpTrainer.__init__ = init
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
else:
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": f"beta-c-ramp{ramp}", "seed": seed, "iter": max_iter,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
    "time": round(el, 1)}), flush=True)
