import sys, time, torch, statistics
sys.path.insert(0, "/work/main/benchmarks")
from speed import training_cases, _setup_fast, _setup_reference
torch.set_num_threads(2)
case = training_cases(64)[int(sys.argv[1]) if len(sys.argv) > 1 else 0]
print(case.label)
model, trainer, data = _setup_fast(case, 0)
reference, x = _setup_reference(case, model, 0)
trainer.fit(data, 300); reference.fit(x, 200)
res = {"nograd": [], "inference": [], "ref": []}
N = 600
for rep in range(10):
    for k in res:
        if k == "ref":
            t = time.perf_counter(); reference.fit(x, N // 2); res[k].append(N / 2 / (time.perf_counter() - t))
        else:
            trainer._no_autograd = torch.no_grad if k == "nograd" else torch.inference_mode
            t = time.perf_counter(); trainer.fit(data, N); res[k].append(N / (time.perf_counter() - t))
for k, v in res.items():
    print(k, f"best {max(v):.1f} median {statistics.median(v):.1f}")
for k in ("nograd", "inference"):
    pairs = [a / b for a, b in zip(res[k], res["ref"])]
    print(k, f"ratio best/best {max(res[k])/max(res['ref']):.2f}, median pair {statistics.median(pairs):.2f}")
pairs = [a / b for a, b in zip(res["inference"], res["nograd"])]
print("inference/nograd median pair", round(statistics.median(pairs), 3), [round(p, 3) for p in pairs])
