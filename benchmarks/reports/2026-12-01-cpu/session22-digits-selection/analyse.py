"""Rank correlation of label-free statistics with accuracy over the fits in select.jsonl, and
the accuracy of keeping, of every pair / triple of fits, the one a statistic ranks first."""
import itertools, json, pathlib
import numpy as np
from scipy.stats import spearmanr

rows = [json.loads(l) for l in open(pathlib.Path(__file__).with_name("select.jsonl"))]
acc = np.array([r["acc"] for r in rows])
stats = {k: np.array([r[k] for r in rows]) for k in ("confidence", "score", "size_entropy")}
stats.update({"tail_" + k: np.array([r["tail"][k] for r in rows]) for k in rows[0]["tail"]})
print(f"{len(rows)} fits, accuracy mean {acc.mean():.4f} (min {acc.min():.4f}, max {acc.max():.4f})")
for name, v in stats.items():
    rho, p = spearmanr(v, acc)
    picks = {n: np.mean([acc[list(c)][np.argmax(v[list(c)])]
                         for c in itertools.combinations(range(len(rows)), n)]) for n in (2, 3)}
    print(f"{name:18s} spearman {rho:+.3f} (p {p:.3f})  best-of-2 {picks[2]:.4f}  best-of-3 {picks[3]:.4f}")
