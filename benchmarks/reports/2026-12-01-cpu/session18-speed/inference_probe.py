import time, sys, numpy as np, torch
from sklearn.datasets import load_digits
from skclustergan import ClusterGAN
torch.set_num_threads(2)
m = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cpu").fit(load_digits().data/16)
X = np.random.default_rng(0).random((1000000, 64), dtype=np.float32)
calls = {
 "predict": lambda: m.predict(X),
 "transform": lambda: m.transform(X),
 "encode_c_whole": lambda: m._encode(X, "c"),
 "encode_n_whole": lambda: m._encode(X, "n"),
 "encode_n_chunked": lambda: [m._encode(X[s:s+8192], "n") for s in range(0, len(X), 8192)],
}
for f in calls.values(): 
    f()
res = {k: [] for k in calls}
for r in range(3):
    for k, f in calls.items():
        t = time.perf_counter(); f(); res[k].append(time.perf_counter() - t)
for k, v in res.items():
    print(f"{k:18s} best {len(X)/min(v):,.0f} rows/s  all {[round(x,3) for x in v]}")
