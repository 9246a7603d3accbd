"""probe_over.py DATASET SEED MAX_ITER N_MODES -> one JSON line. Trains ClusterGAN with
N_MODES one-hot codes in the prior (more than the 10 classes), one thread, and saves the
model to /tmp/s24models/ for the merge read-outs of analyse_over.py."""
import json, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import purity_score

name, seed, max_iter, modes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X, y = load_dataset(name, data_dir="../shared/data")
latent = {"digits": 10, "pendigits": 5}[name]
t = time.perf_counter()
m = ClusterGAN(n_clusters=modes, latent_dim=latent, random_state=seed, max_iter=max_iter).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
m.save(f"/tmp/s24models/{name}-{seed}-{max_iter}-{modes}.pt", overwrite=True)
print(json.dumps({"data": name, "seed": seed, "iter": max_iter, "modes": modes,
                  "time": round(el, 1), "purity": round(float(purity_score(y, p)), 4),
                  "used": int(len(np.unique(p)))}), flush=True)
