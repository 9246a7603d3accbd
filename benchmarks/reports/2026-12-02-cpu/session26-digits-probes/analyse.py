"""Mean accuracy of each probe setting against the defaults' fits of the same seeds
(written-out steps, one thread): digits from 2026-12-01-cpu/session22-digits-selection/select.jsonl
(20,000 iterations), Pendigits from 2026-12-01-cpu/session23-restarts/pendigits.jsonl (50,000)."""
import glob, json, os, sys
from collections import defaultdict
import numpy as np
here = os.path.dirname(os.path.abspath(__file__))
SOURCES = {"digits": "../../2026-12-01-cpu/session22-digits-selection/select.jsonl",
           "pendigits": "../../2026-12-01-cpu/session23-restarts/pendigits.jsonl"}
ITERS = {"digits": 20000, "pendigits": 50000}
base = {ds: {} for ds in SOURCES}
for ds, path in SOURCES.items():
    for line in open(os.path.join(here, path)):
        r = json.loads(line)
        base[ds].setdefault(r["seed"], r["acc"])
runs = defaultdict(dict)
# the probes' folder: this one, or the one named on the command line (a later session's)
probes = sys.argv[1] if len(sys.argv) > 1 else here
for path in sorted(glob.glob(os.path.join(probes, "wave*.jsonl"))):
    for line in open(path):
        r = json.loads(line)
        if r["iter"] == ITERS.get(r["ds"]):  # Fashion-MNIST: compared by hand (README.md)
            runs[(r["ds"], r["tag"])][r["seed"]] = r["acc"]
print("| data | setting | seeds | mean ACC | defaults, same seeds | paired difference | per seed |")
print("|---|---|---|---|---|---|---|")
for (ds, tag), by_seed in runs.items():
    seeds = sorted(by_seed)
    acc = np.array([by_seed[s] for s in seeds]); ref = np.array([base[ds][s] for s in seeds])
    diff = acc - ref
    se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else float("nan")
    print(f"| {ds} | {tag} | {seeds[0]}-{seeds[-1]} | {acc.mean():.3f} | {ref.mean():.3f} | "
          f"{diff.mean():+.3f} ± {se:.3f} | {' / '.join(f'{a:.3f}' for a in acc)} |")
