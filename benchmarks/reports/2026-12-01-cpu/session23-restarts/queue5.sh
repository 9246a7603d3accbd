#!/bin/bash
# after queue4.sh: the restarts behind the benchmark's n_init=2 Pendigits fits of seeds 0-5
cd /work/main
D=benchmarks/reports/2026-12-01-cpu/session23-restarts
while pgrep -f "queue4.sh" > /dev/null; do sleep 10; done
for pair in "209652396 398764591" "1791095845 2135392491" "1872583848 794921487" \
            "218175338 303761048" "2005877882 1720656046" "953453411 236996814"; do
  for s in $pair; do python $D/probe_select.py pendigits $s 50000 >> $D/pendigits-restarts.jsonl 2>>$D/probe.err & done
  wait
done
