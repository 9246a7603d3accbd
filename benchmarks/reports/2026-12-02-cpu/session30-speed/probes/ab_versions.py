"""ab_versions.py LABEL [onednn]: predict / transform on 1,000,000 x 64 float32 rows in this
fresh process, best of four calls each; "onednn" forces the oneDNN inference path (the
calibration's choice otherwise)."""
import sys, time, numpy as np, torch
torch.set_num_threads(2)
import skclustergan._mlp_trainer as mt
if sys.argv[2:] == ["onednn"]:
    mt.onednn_is_faster = lambda: True
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled
Xd, _ = load_digits_scaled()
m = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cpu").fit(Xd)
X = np.random.default_rng(0).random((1_000_000, 64), dtype=np.float32)
m.predict(X[:20000])
out = []
for f in ("predict", "transform"):
    best = 1e9
    for _ in range(4):
        t = time.perf_counter(); getattr(m, f)(X); best = min(best, time.perf_counter() - t)
    out.append(f"{f} {1e6/best:,.0f}")
print(sys.argv[1], *out)
