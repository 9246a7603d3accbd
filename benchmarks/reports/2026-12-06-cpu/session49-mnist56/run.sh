#!/bin/bash
# MNIST with 56,000 iterations instead of 60,000, to fit the hour on the AMD EPYC (at
# 60,000 the fits took 3,615-3,796 s, forty-sixth/seventh sessions): otherwise the benchmark's
# MNIST command (conv-small, reuse_fakes="auto", latent_dim 30), both threads, machine
# otherwise idle, one seed after another; models saved (git-ignored). Run from a checkout
# of the code under test:
#   bash benchmarks/reports/2026-12-06-cpu/session49-mnist56/run.sh 0 1 2
cd "$(dirname "$0")/../../../.."   # the repository root; ../shared/data beside it
export PYTHONPATH="$(pwd)"
# OUT_DIR: where logs and results go (default: this folder, relative to the root)
D=${OUT_DIR:-benchmarks/reports/2026-12-06-cpu/session49-mnist56}
for s in ${@:-0}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist \
    --max-iter 56000 --seeds $s --threads 2 --methods clustergan clustergan-nearest \
    clustergan-propagate kmeans --verbose 1 --save-models --no-plots \
    --out $D/mnist-seed$s > $D/mnist-seed$s.log 2>&1
done
