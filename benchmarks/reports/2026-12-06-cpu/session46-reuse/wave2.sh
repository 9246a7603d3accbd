#!/bin/bash
# digits (20,000 iterations) and Pendigits (50,000) seeds 0-11 with recycled fakes (the
# first critic step of an iteration on the previous G+E step's G(z)); one thread per fit,
# two queues side by side, nothing else running
cd "$(dirname "$0")/../../../.."
D=benchmarks/reports/2026-12-06-cpu/session46-reuse
export PYTHONPATH=$PWD
(for s in 0 1 2 3 4 5 6 7 8 9 10 11; do python $D/probe19.py digits $s 20000 recycle '{}'; done
 for s in 0 1; do python $D/probe19.py pendigits $s 50000 recycle '{}'; done) >> $D/wave2.jsonl 2>>$D/wave2.err &
(for s in 2 3 4 5 6 7 8 9 10 11; do python $D/probe19.py pendigits $s 50000 recycle '{}'; done) >> $D/wave2.jsonl 2>>$D/wave2.err &
wait
