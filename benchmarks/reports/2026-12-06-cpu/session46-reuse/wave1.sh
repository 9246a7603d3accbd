#!/bin/bash
# digits (20,000 iterations) and Pendigits (50,000) seeds 0-11 with reused fakes, and one
# Pendigits seed of the defaults (does this machine reproduce the thirty-eighth session's
# benchmark fit?); one thread per fit, two queues side by side, nothing else running
cd "$(dirname "$0")/../../../.."
D=benchmarks/reports/2026-12-06-cpu/session46-reuse
export PYTHONPATH=$PWD
(for s in 0 1 2 3 4 5 6 7 8 9 10 11; do python $D/probe18.py digits $s 20000 reuse '{}'; done
 for s in 0 1 2 3 4; do python $D/probe18.py pendigits $s 50000 reuse '{}'; done) >> $D/wave1.jsonl 2>>$D/wave1.err &
(python benchmarks/reports/2026-12-04-cpu/session36-probes/probe17.py pendigits 9 50000 defaults '{}'
 for s in 5 6 7 8 9 10 11; do python $D/probe18.py pendigits $s 50000 reuse '{}'; done) >> $D/wave1.jsonl 2>>$D/wave1.err &
wait
