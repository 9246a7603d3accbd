"""analyse.py: for each data set, how well label-free statistics pick the better of
2 or 3 restarts (mean over all pairs / triples of seeds of the accuracy of the fit a
statistic ranks first), from digits.jsonl and pendigits(-rerun).jsonl."""
import itertools
import json
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

HERE = Path(__file__).parent
STATS = {
    "mutual information (init_scores_)": lambda r: r["mutual_information"],
    "confidence (mean max predict_proba)": lambda r: r["confidence"],
    "minus the mean entropy of predict_proba": lambda r: -r["mean_entropy"],
    "entropy of the mean of predict_proba": lambda r: r["marginal_entropy"],
    "critic loss, mean of last 1,000 it": lambda r: r["tail"]["critic"],
    "silhouette (raw features)": lambda r: r["silhouette"],
    "score (minus reconstruction error)": lambda r: r["score"],
}


def rows(name):
    by_seed = {}
    for file in sorted(HERE.glob(f"{name}*.jsonl")):
        for line in file.read_text().splitlines():
            r = json.loads(line)
            if "mutual_information" in r:
                by_seed[r["seed"]] = r
    return [by_seed[s] for s in sorted(by_seed)]


def best_of(acc, stat, n):
    subsets = list(itertools.combinations(range(len(acc)), n))
    return np.mean([acc[list(s)][np.argmax(stat[list(s)])] for s in subsets])


for name in ("digits", "pendigits"):
    rs = rows(name)
    if not rs:
        continue
    acc = np.array([r["acc"] for r in rs])
    print(f"\n{name}: {len(rs)} fits of {rs[0]['iter']} iterations, seeds "
          f"{[r['seed'] for r in rs]}")
    print(f"  accuracy mean {acc.mean():.3f}, range {acc.min():.3f}-{acc.max():.3f}")
    print(f"  {'statistic':40s} {'Spearman (p)':>15s} {'best of 2':>9s} {'best of 3':>9s}")
    print(f"  {'(oracle: the labels)':40s} {'':>15s} {best_of(acc, acc, 2):9.3f} "
          f"{best_of(acc, acc, 3):9.3f}")
    for label, get in STATS.items():
        stat = np.array([get(r) for r in rs])
        rho, p = spearmanr(stat, acc)
        print(f"  {label:40s} {rho:+7.2f} ({p:.3f}) {best_of(acc, stat, 2):9.3f} "
              f"{best_of(acc, stat, 3):9.3f}")
