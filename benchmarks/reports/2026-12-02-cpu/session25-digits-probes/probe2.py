"""probe2.py DATASET SEED MAX_ITER TAG PARAMS_JSON [stratified] -> one JSON line"""
import json, sys, time
import torch
torch.set_num_threads(1)
import skclustergan._training as tr
from skclustergan._prior import sample_codes as _orig
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi
ds, seed, max_iter, tag, params = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])
extra = sys.argv[6:]
if "stratified" in extra:
    def strat(n, d, k, sigma, generator, device="cpu", labels=None):
        if labels is None:
            off = torch.randint(k, (1,), generator=generator, device=device)
            base = (torch.arange(n, device=device) + off) % k
            labels = base[torch.randperm(n, generator=generator, device=device)]
        return _orig(n, d, k, sigma, generator, device, labels)
    tr.sample_codes = strat
if ds == "digits":
    X, y = load_digits_scaled(); base = {"latent_dim": 10}
else:
    X, y = load_pendigits("../shared/data"); base = {"latent_dim": 5}
base.update(params)
if "image_shape" in base: base["image_shape"] = tuple(base["image_shape"])
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **base).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, "params": base, "extra": extra,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4), "time": round(el, 1)}), flush=True)
