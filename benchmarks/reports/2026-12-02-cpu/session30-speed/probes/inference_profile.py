import time, numpy as np, torch
torch.set_num_threads(2)
from skclustergan import ClusterGAN
from skclustergan._mlp_trainer import BufferedEncoder
from sklearn.datasets import load_digits
Xd = load_digits().data.astype(np.float32) / 16
m = ClusterGAN(n_clusters=10, max_iter=1, random_state=0).fit(Xd)
X = np.random.default_rng(0).random((1_000_000, 64), dtype=np.float32)
m.predict(X)
def T(f, n=4):
    b=1e9
    for _ in range(n):
        t=time.perf_counter(); f(); b=min(b,time.perf_counter()-t)
    return b
print("predict", T(lambda: m.predict(X)))
print("validate", T(lambda: m._validate_for_inference(X)))
enc = BufferedEncoder.of(m.encoder_, 2048, X.shape[0])
chunks=[torch.from_numpy(X[i:i+2048]) for i in range(0,X.shape[0],2048)]
def fwd():
    with torch.inference_mode():
        for c in chunks: enc(c)
print("forward only (2048)", T(fwd))
def scal():
    for s in range(0, X.shape[0], 2048):
        m.scaling_.forward(X[s:s+2048], torch.float32, torch.device("cpu"))
print("scaling (2048)", T(scal))
def prods():
    with torch.inference_mode():
        for c in chunks:
            x=c
            for b, buf in zip(enc.blocks, enc.buffers):
                out=buf[:x.shape[0]]; torch.addmm(b.linear.bias, x, b.linear.weight.t(), out=out); x=out
print("products only", T(prods))
def lrelu():
    with torch.inference_mode():
        for c in chunks:
            for b, buf in zip(enc.blocks, enc.buffers):
                if b.slope is not None: torch.nn.functional.leaky_relu_(buf, b.slope)
print("lrelu only", T(lrelu))
def amax():
    with torch.inference_mode():
        for c in chunks: enc.buffers[-1][:, 10:].argmax(dim=1)
print("argmax only", T(amax))
