"""``predict(X, method=...)`` of saved fits, each read-out timed: saved_models.py DATASET DATA_DIR MODEL...

Prints one JSON line per model and read-out (accuracy, purity, NMI, ARI, seconds).
Threads: ``torch.set_num_threads`` from the environment variable THREADS (default 2).
"""
import json
import os
import sys
import time

import torch

from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import clustering_report

torch.set_num_threads(int(os.environ.get("THREADS", "2")))
dataset, data_dir, models = sys.argv[1], sys.argv[2], sys.argv[3:]
methods = os.environ.get("METHODS", "argmax propagate").split()
X, y = load_dataset(dataset, data_dir, random_state=0)
for path in models:
    model = ClusterGAN.load(path)
    for method in methods:
        t = time.perf_counter()
        labels = model.predict(X, method=method)
        seconds = time.perf_counter() - t
        report = {k: round(float(v), 4) for k, v in clustering_report(y, labels).items()}
        print(json.dumps({"model": path, "method": method, **report,
                          "seconds": round(seconds, 1)}), flush=True)
