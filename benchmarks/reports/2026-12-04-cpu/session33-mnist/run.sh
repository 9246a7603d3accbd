#!/bin/bash
# MNIST seed 0 with the benchmark's documented two-thread command (0.852 in session 30),
# rerun alone with --save-models so that the saved fit can be analysed by
# session33-readouts/partition.py and 2026-12-03-cpu/session31-mnist/analyse_readouts.py.
cd /work/main
D=benchmarks/reports/2026-12-04-cpu/session33-mnist
python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist --seeds 0 \
  --threads 2 --methods clustergan clustergan-paper kmeans --verbose 1 --save-models \
  --out $D/seed0 > $D/seed0.log 2>&1
# then seeds 1 and 2 (0.930 and 0.926 in session 31), saved for the same analysis
for s in 1 2; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist --seeds $s \
    --threads 2 --methods clustergan kmeans --verbose 1 --save-models \
    --out $D/seed$s > $D/seed$s.log 2>&1
done
