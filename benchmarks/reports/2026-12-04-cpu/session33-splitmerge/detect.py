"""Can a fit's split pair (two codes drawing one digit) and merged code (one code drawing
two digits) be found without labels?  Prints, for a saved model, per code: the oracle's
majority digit and share (3-NN on the real labels; diagnostics only), and label-free
statistics -- the most overlapping other code under a 1-NN test on G's samples, the
2-means inertia ratio of its samples, and the mean squared distance of the real rows E
assigns to it to their centroid.

    python .../detect.py MODEL DATASET [DATA_DIR]
"""
import sys

import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset

torch.set_num_threads(1)
model = ClusterGAN.load(sys.argv[1])
X, y = load_dataset(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None, random_state=0)
k, per = model.n_clusters, 300
gen, codes = model.sample(per * k, cluster=np.repeat(np.arange(k), per), random_state=1)
digit = KNeighborsClassifier(n_neighbors=3).fit(X, y).predict(gen)
nn_idx = NearestNeighbors(n_neighbors=2).fit(gen).kneighbors(gen, return_distance=False)[:, 1]
M = np.zeros((k, k))
np.add.at(M, (codes, codes[nn_idx]), 1)
M /= per
labels = model.predict(X)
for c in range(k):
    counts = np.bincount(digit[codes == c], minlength=10)
    other = M[c].copy()
    other[c] = -1
    o = int(other.argmax())
    s = gen[codes == c]
    i1 = ((s - s.mean(0)) ** 2).sum()
    i2 = KMeans(2, n_init=3, random_state=0).fit(s).inertia_
    rows = X[labels == c]
    spread = ((rows - rows.mean(0)) ** 2).sum(1).mean() if len(rows) else np.nan
    print(f"code {c}: digit {counts.argmax()} share {counts.max() / per:.2f} | self-NN "
          f"{M[c, c]:.2f}, most-overlapping code {o} ({M[c, o] + M[o, c]:.2f}) | 2-means "
          f"ratio {i2 / i1:.3f} | real rows {len(rows)}, spread {spread:.2f}, "
          f"G spread {i1 / per:.2f}")
