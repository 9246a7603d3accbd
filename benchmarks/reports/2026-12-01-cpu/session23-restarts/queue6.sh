#!/bin/bash
# digits seeds 0-11, checkpoints 2,500 / 5,000 / 10,000 / 20,000, two at a time, one thread each
cd /work/main
D=benchmarks/reports/2026-12-01-cpu/session23-restarts
for pair in "0 1" "2 3" "4 5" "6 7" "8 9" "10 11"; do
  for s in $pair; do python $D/early_probe.py digits $s 2500,5000,10000,20000 >> $D/early-digits.jsonl & done
  wait
done
