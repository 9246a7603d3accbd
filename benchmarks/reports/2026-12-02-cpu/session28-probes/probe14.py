"""probe14.py DATASET SEED MAX_ITER SCALE -> one JSON line.

E's learning rate SCALE times G's (and the critic's), in the one Adam of the joint G+E step (two
parameter groups; the schedule scales both): a faster encoder fits G's current partition sooner,
a slower one lets G's clusters form before E pins them down. (The twenty-first session's TTUR
changed the critic's rate against G and E together.)
"""
import json, sys, time
import torch
torch.set_num_threads(1)
import skclustergan._training as tr
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi

ds, seed, max_iter, scale = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
_init = tr.Trainer.__init__


def init(self, generator, discriminator, encoder, config, *args, **kwargs):
    _init(self, generator, discriminator, encoder, config, *args, **kwargs)
    assert not self.ge_optimizer.state
    self.ge_optimizer = torch.optim.Adam(
        [{"params": list(generator.parameters()), "scale": 1.0},
         {"params": list(encoder.parameters()), "scale": scale}],
        lr=config.learning_rate, betas=tuple(config.adam_betas), fused=True)


def set_learning_rate(self, learning_rate):
    for group in self.d_optimizer.param_groups:
        group["lr"] = learning_rate
    for group in self.ge_optimizer.param_groups:
        group["lr"] = learning_rate * group["scale"]


tr.Trainer.__init__ = init
tr.Trainer.set_learning_rate = set_learning_rate
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
else:
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": f"encoder-lr-x{sys.argv[4]}", "seed": seed, "iter": max_iter,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
    "time": round(el, 1)}), flush=True)
