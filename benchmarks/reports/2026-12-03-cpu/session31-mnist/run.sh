#!/bin/bash
# MNIST seeds 1 and 2 with the benchmark's documented two-thread command (the one
# that gave 0.852 on seed 0 in session 30), one after the other, nothing else on
# the machine; --save-models keeps the fits for the read-out analysis.
cd /work/main
for seed in 1 2; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist --seeds $seed \
    --threads 2 --methods clustergan clustergan-paper kmeans --verbose 1 --save-models \
    --out benchmarks/reports/2026-12-03-cpu/session31-mnist/seed$seed \
    > benchmarks/reports/2026-12-03-cpu/session31-mnist/seed$seed.log 2>&1
done
