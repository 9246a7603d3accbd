import sys, time, torch
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # benchmarks/
import speed
torch.set_num_threads(2)
cases = speed.training_cases(64)
model, trainer, data = speed._setup_fast(cases[0], 0, torch.device("cpu"))
trainer.fit(data, 300)
from torch.profiler import profile
with profile(record_shapes=True) as p:
    trainer.fit(data, 300)
rows=[]
for e in p.key_averages(group_by_input_shape=True):
    if e.key in ("aten::mm","aten::addmm"):
        rows.append((e.self_cpu_time_total/e.count, e.count, e.key, str(e.input_shapes)))
tot=0
for us,c,k,s in sorted(rows, key=lambda r:-r[0]*r[1]):
    print(f"{us:7.1f}us x{c//300:3d} {k} {s}")
    tot+=us*c/300
print("mm total per iter", tot)
