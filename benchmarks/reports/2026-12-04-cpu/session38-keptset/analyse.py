"""Table of keptset.py's lines: each variant's mean ACC, its mean difference from the
product (``margin``) and on how many fits it is higher / lower, per data set and overall.

    python benchmarks/reports/2026-12-04-cpu/session38-keptset/analyse.py keptset.jsonl [...]
"""

import json
import sys
from collections import defaultdict

import numpy as np

VARIANTS = [
    "argmax",
    "margin",
    "capped_0.99",
    "capped_0.999999",
    "capped_f32",
    "p32",
    "random",
    "spread",
    "nearest",
    "agree",
]
rows = []
for path in sys.argv[1:]:
    with open(path) as lines:
        rows += [json.loads(line) for line in lines if line.strip()]
groups = defaultdict(list)
for row in rows:
    name = row["model"].rsplit("/", 1)[-1].rsplit("-seed", 1)[0]
    groups[name].append(row)
groups["all"] = rows
print("| fits | " + " | ".join(VARIANTS) + " |")
print("|---" * (len(VARIANTS) + 1) + "|")
for name, group in groups.items():
    cells = []
    for v in VARIANTS:
        acc = np.array([r[v] for r in group])
        diff = acc - np.array([r["margin"] for r in group])
        up, down = int((diff > 0).sum()), int((diff < 0).sum())
        cell = f"{acc.mean():.4f}"
        if v != "margin":
            cell += f" ({diff.mean():+.4f}; {up}↑ {down}↓)"
        cells.append(cell)
    print(f"| {name} ({len(group)}) | " + " | ".join(cells) + " |")
