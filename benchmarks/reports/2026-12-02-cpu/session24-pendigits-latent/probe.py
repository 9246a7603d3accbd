"""probe.py DATASET SEED MAX_ITER TAG PARAMS_JSON -> one JSON line on stdout"""
import json, sys, time
import torch
torch.set_num_threads(1)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi
ds, seed, max_iter, tag, params = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])
if ds == "digits":
    X, y = load_digits_scaled(); base = {"latent_dim": 10}
else:
    X, y = load_pendigits("../shared/data"); base = {"latent_dim": 5}
base.update(params)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **base).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, "params": base,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4), "time": round(el, 1)}), flush=True)
