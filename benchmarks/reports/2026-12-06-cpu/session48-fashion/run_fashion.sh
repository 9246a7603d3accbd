#!/bin/bash
# Fashion-MNIST with the default reuse_fakes="auto" (on for the conv nets since the
# forty-seventh session): the benchmark's Fashion-MNIST command (conv-small, 45,000
# iterations, latent_dim 40, beta_n 0), both threads, machine otherwise idle, one seed after
# another; models saved (git-ignored). Run from a checkout of the code under test:
#   bash benchmarks/reports/2026-12-06-cpu/session48-fashion/run_fashion.sh 0 1 2
cd "$(dirname "$0")/../../../.."   # the repository root; ../shared/data beside it
export PYTHONPATH="$(pwd)"
D=benchmarks/reports/2026-12-06-cpu/session48-fashion
for s in ${@:-0}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets fashion-mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out $D/fashion-seed$s > $D/fashion-seed$s.log 2>&1
done
