"""Ad-hoc probe: label-free criteria along a fit (warm-started chunks, constant rate)."""
import json, sys, time
import numpy as np, torch
from sklearn.metrics import silhouette_score, calinski_harabasz_score
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(1)
name = sys.argv[1]
seeds = [int(s) for s in sys.argv[2].split(",")]
marks = [int(s) for s in sys.argv[3].split(",")]
params = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
X, y = load_dataset(name, "../shared/data")
ld = {"pendigits": 5, "digits": 10}[name]
for seed in seeds:
    m = ClusterGAN(n_clusters=10, latent_dim=ld, random_state=seed, device="cpu", warm_start=True, **params)
    done, t0 = 0, time.perf_counter()
    for mark in marks:
        m.set_params(max_iter=mark - done).fit(X)
        done = mark
        pred = m.predict(X)
        counts = np.bincount(pred, minlength=10) / len(X)
        print(json.dumps(dict(data=name, seed=seed, it=mark, wall=round(time.perf_counter() - t0, 1),
              acc=round(cluster_accuracy(y, pred), 4), score=float(m.score(X)),
              sil=float(silhouette_score(X, pred, sample_size=4000, random_state=0)),
              ch=float(calinski_harabasz_score(X, pred)), minshare=float(counts.min()))), flush=True)
