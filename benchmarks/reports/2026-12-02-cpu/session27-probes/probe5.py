"""probe5.py DATASET SEED MAX_ITER TAG MODE [PARAMS] -> one JSON line (the written-out MLP steps;
PARAMS: more ClusterGAN parameters as JSON).

MODE=warmN     learning rate warm-up: linear from 0 to the rate over the first N iterations;
MODE=kminitP   before training, P Adam steps (lr 1e-3) fit the generator so that code k maps
               to the k-th KMeans centroid (KMeans(n_init=10) on the scaled data; squared error),
               then ClusterGAN training as usual from there;
MODE=wardinitP, oracleinitP: the same from the centroids of Ward's clusters or of the
               classes (the latter a diagnostic: does training keep the labels' partition?);
MODE=none      unchanged.
"""
import json, os, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
import skclustergan._training as tr
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_fashion_mnist, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import normalized_mutual_info_score as nmi
ds, seed, max_iter, tag, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
params = json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}
extra = {}
if mode.startswith("warm"):
    n_warm = int(mode[4:])
    orig_lr = tr.Trainer.learning_rate_at
    def learning_rate_at(self, iteration, n_iter):
        return orig_lr(self, iteration, n_iter) * min(1.0, (iteration + 1) / n_warm)
    tr.Trainer.learning_rate_at = learning_rate_at
elif mode.startswith(("kminit", "wardinit", "oracleinit")):
    kind = mode.split("init")[0]
    n_pre = int(mode.split("init")[1])
    orig_fit = tr.Trainer.fit
    def fit(self, data, n_iter, *a, **k):
        X = data.batch(torch.arange(data.n_samples)).numpy()
        n_k = self.config.n_clusters
        if kind == "km":
            init_labels = KMeans(n_k, n_init=10, random_state=seed).fit(X).labels_
        elif kind == "ward":
            init_labels = AgglomerativeClustering(n_k, linkage="ward").fit(X).labels_
        else:
            init_labels = np.asarray(y)
        centres = torch.as_tensor(np.stack([X[init_labels == j].mean(0) for j in range(n_k)]),
                                  dtype=torch.float32)
        opt = torch.optim.Adam(self.generator.parameters(), lr=1e-3, betas=(0.5, 0.9))
        self.generator.train()
        for _ in range(n_pre):
            _, labels, z = self.sample_latent(self.config.batch_size)
            loss = ((self.generator(z) - centres[labels]) ** 2).sum(1).mean()
            opt.zero_grad(); loss.backward(); opt.step()
        extra["pre_loss"] = round(float(loss.detach()), 5)
        extra["init_acc"] = round(float(cluster_accuracy(y, init_labels)), 4)
        return orig_fit(self, data, n_iter, *a, **k)
    tr.Trainer.fit = fit
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
elif ds == "pendigits":
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
else:  # fashion-mnist, the benchmark's settings
    X, y = load_fashion_mnist("../shared/data")
    kw = dict(latent_dim=40, beta_n=0.0, image_shape=(1, 28, 28), architecture="conv-small")
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw, **params).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
if os.environ.get("PROBE_SAVE"):  # the labels, for confusion.py
    np.save(os.environ["PROBE_SAVE"], p)
print(json.dumps({"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, "mode": mode, "params": params,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
    "time": round(el, 1), **extra}), flush=True)
