import time, sys, numpy as np, torch
from threadpoolctl import threadpool_limits
from sklearn.datasets import load_digits
from skclustergan import ClusterGAN
torch.set_num_threads(2)
meth, tp = sys.argv[1], sys.argv[2] == "1"
ctx = threadpool_limits(limits=2) if tp else None
m = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cpu").fit(load_digits().data/16)
X = np.random.default_rng(0).random((1000000, 64), dtype=np.float32)
f = getattr(m, meth); f(X[:20000])
ts=[]
for _ in range(5):
    t=time.perf_counter(); r=f(X); ts.append(time.perf_counter()-t); del r
print(meth, "tp" if tp else "no-tp", [round(x,3) for x in ts])
