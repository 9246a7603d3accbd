import sys, time, torch
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # benchmarks/
import speed
from skclustergan._training import HISTORY_KEYS
torch.set_num_threads(2)
cases = speed.training_cases(64)
case = cases[1]  # compiled n_critic=1
print(case.label)
model, trainer, data = speed._setup_fast(case, 0, torch.device("cpu"))
trainer.fit(data, 300)
def block(n=500):
    t=time.perf_counter(); trainer.fit(data, n); return n/(time.perf_counter()-t)
res={"plain":[], "skip":[]}
for r in range(5):
    res["plain"].append(block())
    with torch.compiler.set_stance("default", skip_guard_eval_unsafe=True):
        res["skip"].append(block())
for k,v in res.items(): print(k, [round(x) for x in v], max(v))
if len(sys.argv)>1:
    from torch.profiler import profile
    with profile() as p:
        trainer.fit(data, 200)
    print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=30))
