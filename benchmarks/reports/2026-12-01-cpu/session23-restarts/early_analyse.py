"""early_analyse.py: does a checkpoint's mutual information (or accuracy) predict the final
accuracy (early-digits.jsonl from early_probe.py)? Spearman, and best of 2 by the early MI."""
import itertools
import json
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

rows = [json.loads(l) for l in (Path(__file__).parent / "early-digits.jsonl").read_text().splitlines()]
final = np.array([r["at"][-1]["acc"] for r in rows])
print(f"{len(rows)} digits fits; final ({rows[0]['at'][-1]['iter']} it) accuracy mean {final.mean():.3f}")
for k, point in enumerate(rows[0]["at"]):
    mi = np.array([r["at"][k]["mi"] for r in rows])
    acc = np.array([r["at"][k]["acc"] for r in rows])
    pairs = list(itertools.combinations(range(len(rows)), 2))
    pick = np.mean([final[list(p)][np.argmax(mi[list(p)])] for p in pairs])
    print(f"  at {point['iter']:>6}: acc {acc.mean():.3f}; Spearman(MI now, final acc) "
          f"{spearmanr(mi, final)[0]:+.2f}; Spearman(acc now, final acc) "
          f"{spearmanr(acc, final)[0]:+.2f}; final acc of the pair member with higher MI now {pick:.3f}")
