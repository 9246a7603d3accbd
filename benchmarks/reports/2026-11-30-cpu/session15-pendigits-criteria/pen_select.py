"""Best-of-n selection by a label-free criterion, from pen_curve records (all pairs/triples)."""
import itertools, json, sys
import numpy as np
from scipy.stats import spearmanr
rows = [json.loads(l) for l in open(sys.argv[1])]
for it in sorted({r["it"] for r in rows}):
    at = [r for r in rows if r["it"] == it]
    acc = np.array([r["acc"] for r in at])
    line = f"{it:6d} it: {len(at)} seeds, ACC mean {acc.mean():.3f}"
    for crit in ("sil", "ch", "score"):
        v = np.array([r[crit] for r in at])
        rho = spearmanr(v, acc).statistic
        picks = {n: np.mean([acc[list(c)][np.argmax(v[list(c)])] for c in itertools.combinations(range(len(at)), n)]) for n in (2, 3)}
        line += f" | {crit}: rho {rho:+.2f}, best-of-2 {picks[2]:.3f}, best-of-3 {picks[3]:.3f}"
    orc = {n: np.mean([acc[list(c)].max() for c in itertools.combinations(range(len(at)), n)]) for n in (2, 3)}
    print(line + f" | oracle best-of-2 {orc[2]:.3f}, best-of-3 {orc[3]:.3f}")
