#!/bin/bash
# MNIST with shared fakes (branch fake-reuse): the benchmark's documented command
# (conv-small, 60,000 iterations, latent_dim 30, both threads, machine otherwise idle), one
# seed after another, argmax, nearest and propagate read-outs of the same fit; models saved
# (git-ignored). Run from the repository root of the branch's worktree:
#   bash benchmarks/reports/2026-12-06-cpu/session46-reuse/mnist.sh reuse 0
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
export PYTHONPATH="$(cd "$HERE/../../../.." && pwd)"
variant=$1
shift
for s in ${@:-0}; do
  python "$HERE/shared_fakes.py" $variant --data-dir ../shared/data --datasets mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out "$HERE/mnist-$variant-seed$s" \
    > "$HERE/mnist-$variant-seed$s.log" 2>&1
done
