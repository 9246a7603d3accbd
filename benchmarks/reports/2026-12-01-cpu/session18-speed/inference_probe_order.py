import time, sys, numpy as np, torch
from skclustergan.datasets import load_digits_scaled
from sklearn.datasets import load_digits
from skclustergan import ClusterGAN
torch.set_num_threads(2)
Xd = load_digits_scaled()[0] if sys.argv[1] == "f32" else load_digits().data / 16
m = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cpu").fit(Xd)
X = np.random.default_rng(0).random((1000000, 64), dtype=np.float32)
def t(f, k=3):
    f(); ts=[]
    for _ in range(k):
        s=time.perf_counter(); f(); ts.append(time.perf_counter()-s)
    return round(min(ts),3)
chunked0 = t(lambda: [m._encode(X[s:s+8192], "n") for s in range(0, len(X), 8192)]); print("chunked first", chunked0)
whole = t(lambda: m._encode(X, "n"))
chunked = t(lambda: [m._encode(X[s:s+8192], "n") for s in range(0, len(X), 8192)])
enc = m.encoder_
def raw():
    with torch.inference_mode():
        for s in range(0, len(X), 2048):
            enc(torch.as_tensor(X[s:s+2048]))
print(sys.argv[1], "whole", whole, "chunked", chunked, "raw forward", t(raw))
print("whole again", t(lambda: m._encode(X, "n")), "predict", t(lambda: m.predict(X)), "transform", t(lambda: m.transform(X)))
import cProfile, pstats
cProfile.run('m._encode(X, "n")', '/tmp/s18/enc.prof')
pstats.Stats('/tmp/s18/enc.prof').sort_stats('tottime').print_stats(6)
