"""early_probe.py DATASET SEED CHECKPOINTS -> one JSON line: a fit trained in warm-started
chunks (constant learning rate of the fully connected nets: one fit on another random
stream), its accuracy and init_scores_ (mutual information) at each checkpoint. Whether an
early score predicts the final accuracy decides whether restarts could be pruned early."""
import json
import sys

import torch

torch.set_num_threads(1)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

name, seed = sys.argv[1], int(sys.argv[2])
checkpoints = [int(c) for c in sys.argv[3].split(",")]
X, y = load_dataset(name, data_dir="../shared/data")
latent = {"digits": 10, "pendigits": 5}[name]
model = ClusterGAN(n_clusters=10, latent_dim=latent, random_state=seed, max_iter=checkpoints[0])
out, done = {"data": name, "seed": seed, "at": []}, 0
for c in checkpoints:
    model.set_params(max_iter=c - done, warm_start=done > 0).fit(X)
    done = c
    out["at"].append({"iter": c, "acc": round(float(cluster_accuracy(y, model.labels_)), 4),
                      "mi": round(float(model.init_scores_[0]), 5)})
print(json.dumps(out), flush=True)
