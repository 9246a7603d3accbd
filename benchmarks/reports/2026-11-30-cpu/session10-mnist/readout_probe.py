"""Read-outs of one pickled MNIST fit (from learning_curve.py --save-model).

python readout_probe.py MODEL.pkl DATA_DIR [N_THREADS]
Prints the accuracy (Hungarian) of several label-free read-outs of the
encoder's outputs, and, as a ceiling, a logistic-regression probe of how much
class information E_n and the logits hold (trained on 60,000, tested on 10,000).
"""
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy

torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
with Path(sys.argv[1]).open("rb") as f:
    model = pickle.load(f)
X, y = load_dataset("mnist", sys.argv[2])  # what run_benchmarks / learning_curve fit on
K = model.n_clusters
t = time.time()
zn = model.transform(X)
proba = model.predict_proba(X)
logits = np.log(np.clip(proba, 1e-12, None))  # logits up to a constant per row
print(f"model {sys.argv[1]}: n_iter_ {model.n_iter_}, sigma {model.sigma}, "
      f"encode {time.time() - t:.1f} s", flush=True)


def report(name, labels):
    print(f"{name:40s} {cluster_accuracy(y, labels):.3f}", flush=True)


report("argmax E_c (predict)", proba.argmax(1))
feats = {
    "[E_n, softmax E_c] (paper)": np.hstack([zn, proba]),
    "logits": logits,
    "E_n": zn,
    "E_n standardised": StandardScaler().fit_transform(zn),
    "[E_n / sigma, softmax E_c]": np.hstack([zn / model.sigma, proba]),
    "[E_n std, logits std]": StandardScaler().fit_transform(np.hstack([zn, logits])),
}
for name, F in feats.items():
    report("KMeans " + name, KMeans(K, n_init=10, random_state=0).fit_predict(F))
gmm = GaussianMixture(K, n_init=2, random_state=0).fit(logits)
report("GMM logits", gmm.predict(logits))
# how much class information each part holds (a supervised ceiling, not a read-out)
for name, F in {"E_n": zn, "logits": logits, "[E_n, logits]": np.hstack([zn, logits])}.items():
    F = StandardScaler().fit_transform(F)
    clf = LogisticRegression(max_iter=300).fit(F[:60000], y[:60000])
    print(f"{'linear probe ' + name:40s} {clf.score(F[60000:], y[60000:]):.3f}", flush=True)
