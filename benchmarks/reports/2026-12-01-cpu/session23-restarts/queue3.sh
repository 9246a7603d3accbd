#!/bin/bash
# after queue2.sh: pendigits seeds 4-5 again (their first runs predate the entropy statistics)
cd /work/main
D=benchmarks/reports/2026-12-01-cpu/session23-restarts
while pgrep -f "queue2.sh" > /dev/null; do sleep 10; done
for s in 4 5; do python $D/probe_select.py pendigits $s 50000 >> $D/pendigits-rerun.jsonl 2>>$D/probe.err & done
wait
