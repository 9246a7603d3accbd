"""Mean accuracy per probe against the defaults on the same seeds: digits from
2026-12-01-cpu/session22-digits-selection/select.jsonl, Pendigits from
2026-12-01-cpu/session23-restarts/pendigits.jsonl (one thread, the same iterations)."""
import json, statistics
from scipy.stats import mannwhitneyu
from pathlib import Path
here = Path(__file__).parent
old = here.parent.parent / "2026-12-01-cpu"
base = {("digits", r["seed"]): r["acc"] for r in map(json.loads, open(old / "session22-digits-selection/select.jsonl"))}
base.update({("pendigits", r["seed"]): r["acc"] for r in map(json.loads, open(old / "session23-restarts/pendigits.jsonl"))})
files = sorted(here.glob("wave*.jsonl"))
rows = [json.loads(l) for f in files for l in open(f)]
for r in rows:
    r.setdefault("ds", "digits")
print(f"{'data':9s} {'probe':13s} {'seeds':>5s} {'mean ACC':>9s} {'defaults':>9s} {'diff':>7s}  per seed (time)")
for ds, tag in sorted({(r["ds"], r["tag"]) for r in rows}):
    rs = sorted((r for r in rows if r["tag"] == tag and r["ds"] == ds), key=lambda r: r["seed"])
    acc = [r["acc"] for r in rs]
    b = [base[(ds, r["seed"])] for r in rs if (ds, r["seed"]) in base]
    mb = statistics.mean(b) if len(b) == len(rs) else float("nan")
    print(f"{ds:9s} {tag:13s} {len(rs):5d} {statistics.mean(acc):9.3f} {mb:9.3f} {statistics.mean(acc) - mb:+7.3f}  "
          + " / ".join(f"{a:.3f}" for a in acc) + f"  ({min(r['time'] for r in rs):.0f}-{max(r['time'] for r in rs):.0f} s)"
          + (f"  Mann-Whitney p {mannwhitneyu(acc, b).pvalue:.2f}, sd {statistics.stdev(acc):.3f} / {statistics.stdev(b):.3f}" if len(rs) >= 10 else ""))
