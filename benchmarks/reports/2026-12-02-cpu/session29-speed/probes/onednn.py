import torch, time
import torch.nn.functional as F
torch.set_num_threads(2)
def rate(f, flops, reps=10):
    f(); best=1e9
    for _ in range(reps):
        s=time.perf_counter(); f(); best=min(best,time.perf_counter()-s)
    return flops/best/1e9
n=2048
a=torch.randn(n,n); b=torch.randn(n,n)
print("mm (MKL)", rate(lambda: a@b, 2*n**3))
# 1x1 conv: input (1, n, n, 1) channels=n, pixels=n
x=a.t().contiguous().view(1,n,n,1); w=b.view(n,n,1,1)
print("conv1x1 (oneDNN)", rate(lambda: F.conv2d(x,w), 2*n**3))
am=a.to_mkldnn(); 
try:
    bm=b.to_mkldnn()
    print("mkldnn linear", rate(lambda: torch._C._nn.mkldnn_linear(am, b, None), 2*n**3))
except Exception as e: print("mkldnn_linear err", e)
for shape in [(64,256,256),(192,256,256),(64,20,256),(2048,256,256)]:
    m,k,nn_=shape
    x=torch.randn(m,k); W=torch.randn(nn_,k); bias=torch.randn(nn_)
    fl=2*m*k*nn_
    def loop(f, r=200):
        def g():
            for _ in range(r): f()
        return g
    print(shape, "addmm", round(rate(loop(lambda: torch.addmm(bias,x,W.t())), fl*200, 5),1),
          "mm", round(rate(loop(lambda: x@W.t()), fl*200, 5),1))
    try:
        xc=x.view(1,m,k,1).permute(0,2,1,3).contiguous()  # (1,k,m,1)
        Wc=W.view(nn_,k,1,1)
        print("   conv1x1", round(rate(loop(lambda: F.conv2d(xc,Wc,bias)), fl*200, 5),1))
    except Exception as e: print(e)
