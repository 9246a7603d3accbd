import torch, time
torch.set_num_threads(2)
lp=torch.ops.mkldnn._linear_pointwise
def us(f, inner=300, reps=5):
    for _ in range(20): f()
    best=1e9
    for _ in range(reps):
        s=time.perf_counter()
        for _ in range(inner): f()
        best=min(best,(time.perf_counter()-s)/inner)
    return round(best*1e6,1)
for m in (64,192):
    k=n=256
    x=torch.randn(m,k); W=torch.randn(n,k); b=torch.randn(n); g=torch.randn(m,n)
    print(m, "fwd addmm", us(lambda: torch.addmm(b,x,W.t())), "onednn", us(lambda: lp(x,W,b,"none",[],"")),
          "onednn+lrelu", us(lambda: lp(x,W,b,"leaky_relu",[0.2],"")))
    print(m, "gradin mm", us(lambda: g@W), "onednn W.t()", us(lambda: lp(g,W.t(),None,"none",[],"")),
          "onednn W.t().contig", us(lambda: lp(g,W.t().contiguous(),None,"none",[],"")))
    print(m, "gradW mm", us(lambda: g.t()@x), "onednn", us(lambda: lp(g.t(),x.t(),None,"none",[],"")),
          "onednn contig", us(lambda: lp(g.t().contiguous(),x.t().contiguous(),None,"none",[],"")))
