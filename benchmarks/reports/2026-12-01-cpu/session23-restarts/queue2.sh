#!/bin/bash
# after queue.sh: pendigits seeds 0-3 again (for the entropy statistics and saved models),
# then digits seeds 0-17 at 20,000 iterations; two fits at a time, one thread each
cd /work/main
D=benchmarks/reports/2026-12-01-cpu/session23-restarts
while pgrep -f "queue.sh" > /dev/null; do sleep 10; done
for pair in "0 1" "2 3"; do
  for s in $pair; do python $D/probe_select.py pendigits $s 50000 >> $D/pendigits-rerun.jsonl 2>>$D/probe.err & done
  wait
done
for pair in "0 1" "2 3" "4 5" "6 7" "8 9" "10 11" "12 13" "14 15" "16 17"; do
  for s in $pair; do python $D/probe_select.py digits $s 20000 >> $D/digits.jsonl 2>>$D/probe.err & done
  wait
done
