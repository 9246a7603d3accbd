import torch, time
torch.set_num_threads(2)
from skclustergan._linear import PackedLinear
def best(f, n=50, rep=7):
    f(); b=1e9
    for _ in range(rep):
        t=time.perf_counter()
        for _ in range(n): f()
        b=min(b,(time.perf_counter()-t)/n)
    return b
for R in (1024, 2048, 4096):
  for (k,m,sl) in ((64,256,0.2),(256,256,0.2),(256,10,None)):
    x=torch.rand(R,k); w=torch.randn(m,k)/16; b=torch.randn(m); out=torch.empty(R,m)
    def blas():
        torch.addmm(b,x,w.t(),out=out)
        if sl is not None: torch.nn.functional.leaky_relu_(out, sl)
    p=PackedLinear(w,b,sl,R)
    tb=best(blas); to=best(lambda: p(x))
    print(R,k,m, f"blas+act {2*R*k*m/tb/1e9:.0f}  onednn {2*R*k*m/to/1e9:.0f}")
