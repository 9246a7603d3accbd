import time, numpy as np, torch
from sklearn.datasets import load_digits
from skclustergan import ClusterGAN
from skclustergan._mlp_trainer import BufferedEncoder
torch.set_num_threads(2)
Xd = load_digits().data.astype(np.float32)/16
m = ClusterGAN(n_clusters=10, max_iter=1, random_state=0, device="cpu").fit(Xd)
X = np.random.default_rng(0).random((1_000_000, 64), dtype=np.float32)
xt=torch.from_numpy(X)
flops = 2*(64*256+256*256+256*20)*len(X)
def best(f, r=5):
    f(); t=[]
    for _ in range(r):
        s=time.perf_counter(); f(); t.append(time.perf_counter()-s)
    return min(t)
enc = BufferedEncoder.of(m.encoder_, 2048)
blocks=enc.blocks
for rows in (2048, 1024, 4096):
    packed=[torch.ops.mkldnn._reorder_linear_weight(b.linear.weight.detach(), rows) for b in blocks]
    def one(x):
        for b,w in zip(blocks,packed):
            if b.slope is not None:
                x=torch.ops.mkldnn._linear_pointwise(x,w,b.linear.bias,"leaky_relu",[b.slope],"")
            else:
                x=torch.ops.mkldnn._linear_pointwise(x,w,b.linear.bias,"none",[],"")
        return x
    def run():
        with torch.inference_mode():
            for s in range(0,len(xt),rows): one(xt[s:s+rows])
    t=best(run); print("onednn rows",rows, round(t,3), round(flops/t/1e9,1))
def run2():
    with torch.inference_mode():
        for s in range(0,len(xt),2048): enc(xt[s:s+2048])
t=best(run2); print("buffered addmm", round(t,3), round(flops/t/1e9,1))
for name,f in [("predict", lambda: m.predict(X)), ("transform", lambda: m.transform(X))]:
    t=best(f,3); print(name, round(t,3), round(flops/t/1e9,1))
