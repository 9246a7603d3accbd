#!/bin/bash
# the restarts behind the benchmark's n_init=2 digits fits of seeds 0-5, one by one as single
# fits (probe_select.py with the restart's own seed), two at a time, one thread each
cd /work/main
D=benchmarks/reports/2026-12-01-cpu/session23-restarts
for pair in "209652396 398764591" "1791095845 2135392491" "1872583848 794921487" \
            "218175338 303761048" "2005877882 1720656046" "953453411 236996814"; do
  for s in $pair; do python $D/probe_select.py digits $s 20000 >> $D/digits-restarts.jsonl 2>>$D/probe.err & done
  wait
done
