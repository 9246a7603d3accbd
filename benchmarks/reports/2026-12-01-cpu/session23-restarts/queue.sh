#!/bin/bash
# two fits at a time, one thread each: pendigits seeds 0-9 at 50,000 iterations
cd /work/main
D=benchmarks/reports/2026-12-01-cpu/session23-restarts
for pair in "0 1" "2 3" "4 5" "6 7" "8 9"; do
  for s in $pair; do python $D/probe_select.py pendigits $s 50000 >> $D/pendigits.jsonl 2>>$D/probe.err & done
  wait
done
