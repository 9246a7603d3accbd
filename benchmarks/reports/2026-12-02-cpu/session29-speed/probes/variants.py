import torch, time
import torch.nn.functional as F
torch.set_num_threads(2)
def rate(f, flops, reps=7, inner=100):
    for _ in range(3): f()
    best=1e9
    for _ in range(reps):
        s=time.perf_counter()
        for _ in range(inner): f()
        best=min(best,(time.perf_counter()-s)/inner)
    return flops/best/1e9, best*1e6
for (m,k,n) in [(2048,64,256),(2048,256,256),(2048,256,20),(64,256,256),(192,256,256),(64,20,256),(64,256,64)]:
    x=torch.randn(m,k); W=torch.randn(n,k); b=torch.randn(n); fl=2*m*k*n
    res={}
    res["addmm"]=rate(lambda: torch.addmm(b,x,W.t()), fl)
    x4=x.view(m,k,1,1); W4=W.view(n,k,1,1)
    res["conv(m,k,1,1)"]=rate(lambda: F.conv2d(x4,W4,b), fl)
    try:
        res["lin_pw"]=rate(lambda: torch.ops.mkldnn._linear_pointwise(x,W,b,"none",[],""), fl)
    except Exception as e: res["lin_pw"]=str(e)[:80]
    try:
        Wp=torch.ops.mkldnn._reorder_linear_weight(W, m) if hasattr(torch.ops.mkldnn,"_reorder_linear_weight") else None
        res["lin_pw_packed"]=rate(lambda: torch.ops.mkldnn._linear_pointwise(x,Wp,b,"none",[],""), fl)
    except Exception as e: res["lin_pw_packed"]=str(e)[:80]
    print((m,k,n), {kk:(tuple(round(v,1) for v in vv) if isinstance(vv,tuple) else vv) for kk,vv in res.items()})
# check correctness
x=torch.randn(64,256); W=torch.randn(256,256); b=torch.randn(256)
print((F.conv2d(x.view(64,256,1,1),W.view(256,256,1,1),b).view(64,256)-torch.addmm(b,x,W.t())).abs().max())
