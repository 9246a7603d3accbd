"""latent_stats.py: for the fits saved by probe_select.py (/tmp/s23models), silhouettes of
the predicted partition in the encoder's spaces (the paper read-out's [E_n(x), softmax(E_c(x))],
and E_n(x) alone), and how well they pick the better of 2 / 3 restarts (as analyse.py)."""
import itertools
import json
from pathlib import Path

import numpy as np
import torch
from scipy.stats import spearmanr
from sklearn.metrics import silhouette_score

torch.set_num_threads(1)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset

HERE = Path(__file__).parent
ITERS = {"digits": 20000, "pendigits": 50000}
for name, n_iter in ITERS.items():
    X, y = load_dataset(name, data_dir="../shared/data")
    rows = np.random.RandomState(0).choice(len(X), min(4000, len(X)), replace=False)
    recs = {}
    for f in sorted(HERE.glob(f"{name}*.jsonl")):
        for line in f.read_text().splitlines():
            r = json.loads(line)
            if "mutual_information" in r:  # the first runs of some seeds predate it
                recs[r["seed"]] = r
    acc, stats = [], {"readout space": [], "z_n": [], "mutual information": []}
    for seed, r in sorted(recs.items()):
        m = ClusterGAN.load(f"/tmp/s23models/{name}-{seed}-{n_iter}.pt")
        z, p = m.transform(X[rows]), m.predict_proba(X[rows])
        lab = p.argmax(1)
        acc.append(r["acc"])
        stats["readout space"].append(silhouette_score(np.hstack([z, p]), lab))
        stats["z_n"].append(silhouette_score(z, lab))
        stats["mutual information"].append(r["mutual_information"])
    acc = np.array(acc)
    print(f"{name}: {len(acc)} fits, mean {acc.mean():.3f}")
    for label, v in stats.items():
        v = np.array(v)
        out = []
        for n in (2, 3):
            subs = list(itertools.combinations(range(len(acc)), n))
            out.append(np.mean([acc[list(s)][np.argmax(v[list(s)])] for s in subs]))
        rho = spearmanr(v, acc)[0]
        print(f"  silhouette in {label:20s} rho {rho:+.2f}  best of 2 {out[0]:.3f}  of 3 {out[1]:.3f}"
              if label != "mutual information" else
              f"  {label:34s} rho {rho:+.2f}  best of 2 {out[0]:.3f}  of 3 {out[1]:.3f}")
