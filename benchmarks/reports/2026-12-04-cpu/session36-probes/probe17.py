"""One default fit with estimator parameters changed: probe17.py DATASET SEED MAX_ITER TAG PARAMS.

PARAMS is a JSON object of ClusterGAN parameters (``{}``: the defaults). One thread;
digits latent_dim 10 and Pendigits the paper's 5 unless PARAMS sets it. Prints one JSON
line (the twenty-eighth session's ``harness.py`` format) with the accuracy, NMI and time.
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
from sklearn.metrics import normalized_mutual_info_score as nmi  # noqa: E402

from skclustergan import ClusterGAN  # noqa: E402
from skclustergan.datasets import load_digits_scaled, load_pendigits  # noqa: E402
from skclustergan.metrics import cluster_accuracy  # noqa: E402

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/session33-readouts")
from partition import seed_propagation  # noqa: E402

ds, seed, max_iter, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
params = json.loads(sys.argv[5])
if ds == "digits":
    X, y = load_digits_scaled()
    kw = {"latent_dim": 10}
else:
    X, y = load_pendigits("../shared/data")
    kw = {"latent_dim": 5}
kw.update(params)
t = time.perf_counter()
model = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
elapsed = time.perf_counter() - t
p = model.predict(X)
record = {"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, "params": params,
          "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4),
          "time": round(elapsed, 1)}
# read-outs of the same fit (added after the first pair of wave1 had started):
# the nearest-generated-sample vote, and keeping E's label on the most confident
# fraction q of each cluster with the 10-NN vote of those rows for the rest, in the
# scaled space G generates in ("s") and in the loader's space ("x")
record["nearest"] = round(float(cluster_accuracy(y, model.predict(X, method="nearest"))), 4)
proba = model.predict_proba(X)
scaled = model.scaling_.forward(X, torch.float32, torch.device("cpu")).numpy()
for space, Z in (("s", scaled), ("x", X)):
    for q in (0.25, 0.5, 0.75):
        prop = seed_propagation(Z, proba.argmax(1), proba.max(1), q, 10)
        record[f"prop_{space}{q}"] = round(float(cluster_accuracy(y, prop)), 4)
print(json.dumps(record), flush=True)
