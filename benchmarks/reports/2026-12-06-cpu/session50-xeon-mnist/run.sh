#!/bin/bash
# MNIST with the benchmark's command at its budget of 56,000 iterations (conv-small,
# reuse_fakes="auto", latent_dim 30), both threads, machine otherwise idle, one seed after
# another; models saved (git-ignored). The fiftieth session's 2-core VM is again the Intel Xeon
# with AMX (first time since the thirty-third session), so this measures today's code there.
# Run from a checkout of the code under test:
#   bash benchmarks/reports/2026-12-06-cpu/session50-xeon-mnist/run.sh 0 1 2
cd "$(dirname "$0")/../../../.."   # the repository root; ../shared/data beside it
export PYTHONPATH="$(pwd)"
D=benchmarks/reports/2026-12-06-cpu/session50-xeon-mnist
for s in ${@:-0}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist \
    --max-iter 56000 --seeds $s --threads 2 --methods clustergan clustergan-nearest \
    clustergan-propagate kmeans --verbose 1 --save-models --no-plots \
    --out $D/mnist-seed$s > $D/mnist-seed$s.log 2>&1
done
