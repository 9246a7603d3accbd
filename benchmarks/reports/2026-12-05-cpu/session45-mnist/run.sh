#!/bin/bash
# MNIST seeds 5 and 6 on the AMD EPYC with main as the forty-fourth session left it (the
# channels_last conv nets): the benchmark's documented command (conv-small, 60,000
# iterations, latent_dim 30, both threads, machine otherwise idle), one seed after another,
# with the argmax, nearest and propagate read-outs of the same fit; models saved
# (git-ignored). Run from the repository root of /work/main:
#   bash benchmarks/reports/2026-12-05-cpu/session45-mnist/run.sh 5 6
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
for s in ${@:-5}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out "$HERE/seed$s" > "$HERE/seed$s.log" 2>&1
done
