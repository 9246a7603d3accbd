"""Ad-hoc probe: Pendigits fits with the defaults; confusion and label-free criteria."""
import json, pickle, sys, time
import numpy as np, torch
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import confusion_matrix, silhouette_score, calinski_harabasz_score, davies_bouldin_score
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(1)
seeds = [int(s) for s in sys.argv[1].split(",")]
params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
X, y = load_dataset("pendigits", "../shared/data")
for seed in seeds:
    kw = dict(n_clusters=10, latent_dim=5, max_iter=50000, random_state=seed, device="cpu")
    kw.update(params)
    t = time.perf_counter()
    m = ClusterGAN(**kw).fit(X)
    wall = time.perf_counter() - t
    pred = m.predict(X)
    cm = confusion_matrix(y, pred, labels=range(10))
    r, c = linear_sum_assignment(-cm)
    cm = cm[:, c]
    counts = np.bincount(pred, minlength=10) / len(X)
    rec = dict(seed=seed, params=params, acc=round(cluster_accuracy(y, pred), 4), wall=round(wall, 1),
               score=float(m.score(X)), inertia=None,
               sil=float(silhouette_score(X, pred, sample_size=4000, random_state=0)),
               ch=float(calinski_harabasz_score(X, pred)), db=float(davies_bouldin_score(X, pred)),
               shares=np.round(counts, 3).tolist(), cm=cm.tolist())
    print(json.dumps(rec), flush=True)
    with open(f"/tmp/s15/pen-seed{seed}-{abs(hash(json.dumps(params)))%1000}.pkl", "wb") as f:
        pickle.dump(m, f)
