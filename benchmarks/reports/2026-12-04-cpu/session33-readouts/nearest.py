"""Accuracy of the argmax and of ``predict(X, method="nearest")`` of saved fits.

    python benchmarks/reports/2026-12-04-cpu/session33-readouts/nearest.py \
        DATASET DATA_DIR MODEL [MODEL ...]

One thread; prints per model both accuracies (Hungarian) and the read-out's seconds.
"""

import sys
import time

import torch

from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(1)
dataset, data_dir = sys.argv[1], sys.argv[2]
X, y = load_dataset(dataset, data_dir, random_state=0)
for path in sys.argv[3:]:
    model = ClusterGAN.load(path)
    start = time.perf_counter()
    labels = model.predict(X, method="nearest")
    seconds = time.perf_counter() - start
    print(f"{path.split('/')[-1]} argmax {cluster_accuracy(y, model.predict(X)):.4f} "
          f"nearest {cluster_accuracy(y, labels):.4f} ({seconds:.1f}s)", flush=True)
