"""Mean accuracy per probe against the defaults on the same seeds (session22 select.jsonl)."""
import json, statistics
from pathlib import Path
here = Path(__file__).parent
base = {r["seed"]: r["acc"] for r in map(json.loads, open(here.parent.parent / "2026-12-01-cpu/session22-digits-selection/select.jsonl"))}
rows = [json.loads(l) for f in ("wave1.jsonl", "wave2-3.jsonl", "wave4.jsonl", "wave5.jsonl", "wave6.jsonl") if (here / f).exists() for l in open(here / f)]
tags = sorted({r["tag"] for r in rows})
print(f"{'probe':10s} {'seeds':>6s} {'mean ACC':>9s} {'defaults, same seeds':>21s} {'diff':>7s}  per seed")
for tag in tags:
    rs = sorted((r for r in rows if r["tag"] == tag), key=lambda r: r["seed"])
    acc = [r["acc"] for r in rs]; b = [base[r["seed"]] for r in rs]
    print(f"{tag:10s} {len(rs):6d} {statistics.mean(acc):9.3f} {statistics.mean(b):21.3f} {statistics.mean(acc) - statistics.mean(b):+7.3f}  "
          + " / ".join(f"{a:.3f}" for a in acc) + f"  ({min(r['time'] for r in rs):.0f}-{max(r['time'] for r in rs):.0f} s)")
