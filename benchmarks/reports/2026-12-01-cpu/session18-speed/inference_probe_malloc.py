import time, sys, numpy as np, torch
from skclustergan.datasets import load_digits_scaled
from skclustergan import ClusterGAN
torch.set_num_threads(2)
m = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cpu").fit(load_digits_scaled()[0])
X = np.random.default_rng(0).random((1000000, 64), dtype=np.float32)
def t(f, k=3):
    f(); ts=[]
    for _ in range(k):
        s=time.perf_counter(); f(); ts.append(time.perf_counter()-s)
    return round(min(ts),3)
print("whole first", t(lambda: m._encode(X, "n")), "chunked", t(lambda: [m._encode(X[s:s+8192], "n") for s in range(0, len(X), 8192)]), "whole", t(lambda: m._encode(X, "n")))
