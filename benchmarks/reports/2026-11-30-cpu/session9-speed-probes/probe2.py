import sys, time, torch
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # benchmarks/
import speed
torch.set_num_threads(2)
print(speed.matmul_rate())
cases = speed.training_cases(64)
case = cases[int(sys.argv[1])]
print(case.label)
model, trainer, data = speed._setup_fast(case, 0, torch.device("cpu"))
trainer.fit(data, 300)
acc={"d":0.,"g":0.}
for name,opt in (("d",trainer.d_optimizer),("g",trainer.ge_optimizer)):
    orig=opt.step
    def wrapped(*a, _o=orig, _n=name, **k):
        t=time.perf_counter(); r=_o(*a,**k); acc[_n]+=time.perf_counter()-t; return r
    opt.step=wrapped
for r in range(4):
    acc["d"]=acc["g"]=0
    t=time.perf_counter(); trainer.fit(data, 500); T=time.perf_counter()-t
    print(f"{500/T:.0f} it/s; per iter {T/500*1e6:.0f}us; adam d {acc['d']/500*1e6:.0f}us g {acc['g']/500*1e6:.0f}us")
