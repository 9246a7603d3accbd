"""Paired comparison of this folder's waves with the defaults' fits of the same seeds.

    python analyse.py wave1.jsonl wave2.jsonl

The defaults: digits from ``../../2026-12-04-cpu/session36-probes/wave1.jsonl`` (probe17.py,
the same harness), Pendigits from the thirty-sixth to thirty-eighth sessions' benchmark runs
(``results.csv`` of ``session36-propagate/tabular``, ``session37-tabular/fits`` and
``session38-keptset/fits-b``, ``fits-c``); this machine reproduced digits seed 3 (0.8253) and
Pendigits seed 9 (0.811) bit for bit in this session. ± is the standard error of the paired
differences.
"""

import json
import statistics as st
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
EARLIER = HERE.parent.parent / "2026-12-04-cpu"


def defaults() -> dict:
    ref = {}
    for line in (EARLIER / "session36-probes/wave1.jsonl").read_text().splitlines():
        r = json.loads(line)
        if r["tag"] == "defaults":
            ref["digits", r["seed"]] = r["acc"]
    for sub in ("session36-propagate/tabular", "session37-tabular/fits",
                "session38-keptset/fits-b", "session38-keptset/fits-c"):  # fmt: skip
        d = pd.read_csv(EARLIER / sub / "results.csv")
        for _, r in d[(d.dataset == "pendigits") & (d.method == "clustergan")].iterrows():
            ref["pendigits", int(r.seed)] = round(float(r.accuracy), 4)
    return ref


def main() -> None:
    ref = defaults()
    rows = [json.loads(line) for f in sys.argv[1:] for line in Path(f).read_text().splitlines()]
    print("| data | variant | seeds | mean ACC | defaults, same seeds | paired difference "
          "| propagate ½ | per seed |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for ds in ("digits", "pendigits"):
        for tag in sorted({r["tag"] for r in rows if r["tag"] != "defaults"}):
            runs = sorted((r for r in rows if r["ds"] == ds and r["tag"] == tag),
                          key=lambda r: r["seed"])  # fmt: skip
            if not runs:
                continue
            acc = [r["acc"] for r in runs]
            base = [ref[ds, r["seed"]] for r in runs]
            diff = [a - b for a, b in zip(acc, base)]
            se = st.stdev(diff) / len(diff) ** 0.5
            seeds = f"{runs[0]['seed']}-{runs[-1]['seed']}"
            prop = st.mean(r["prop_s0.5"] for r in runs)
            print(f"| {ds} | {tag} | {seeds} | {st.mean(acc):.3f} | {st.mean(base):.3f} | "
                  f"{st.mean(diff):+.3f} ± {se:.3f} | {prop:.3f} | "
                  + " / ".join(f"{a:.3f}" for a in acc) + " |")  # fmt: skip


if __name__ == "__main__":
    main()
