"""backprop_readout.py DATASET SEED [N_STEPS]: the paper's back-propagation decoding
read-out (ClusterGAN.decode, init="encoder", one restart per cluster) against the
encoder's argmax, on a fit saved by session23-restarts/probe_select.py (/tmp/s23models).
One thread. One JSON line."""
import json, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

name, seed = sys.argv[1], int(sys.argv[2])
n_steps = int(sys.argv[3]) if len(sys.argv) > 3 else 500
n_iter = {"digits": 20000, "pendigits": 50000}[name]
X, y = load_dataset(name, data_dir="../shared/data")
m = ClusterGAN.load(f"/tmp/s23models/{name}-{seed}-{n_iter}.pt")
t = time.perf_counter()
z_n, labels, loss = m.decode(X, n_steps=n_steps, random_state=0)[:3]
el = time.perf_counter() - t
arg = m.predict(X)
print(json.dumps({"data": name, "seed": seed, "n_steps": n_steps,
                  "argmax": round(float(cluster_accuracy(y, arg)), 4),
                  "backprop": round(float(cluster_accuracy(y, labels)), 4),
                  "agree": round(float((labels == arg).mean()), 4),
                  "decode_time": round(el, 1)}), flush=True)
