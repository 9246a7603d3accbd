"""confusion.py LABELS.npy: the digits classes against the clusters of a saved prediction,
clusters matched to classes by the Hungarian assignment (rows: classes 0-9)."""
import sys
import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import confusion_matrix
from skclustergan.datasets import load_digits_scaled
y = load_digits_scaled()[1]
p = np.load(sys.argv[1])
c = confusion_matrix(y, p)
rows, cols = linear_sum_assignment(-c)
c = c[:, cols]
print("class  " + " ".join(f"{j:4d}" for j in range(10)) + "   recall")
for i in range(10):
    print(f"{i:5d}  " + " ".join(f"{v:4d}" for v in c[i]) + f"   {c[i, i] / c[i].sum():.3f}")
print(f"accuracy {np.trace(c) / c.sum():.4f}")
