#!/bin/bash
# MNIST on the AMD EPYC with main after the forty-fourth session's merge of branch conv-layout
# (channels_last conv nets, native one-channel deconvolution): the benchmark's documented
# command (conv-small, 60,000 iterations, latent_dim 30, both threads, machine otherwise idle),
# one seed after another, with the argmax, nearest and propagate read-outs of the same fit;
# the models are saved (git-ignored). Run from the repository root of /work/main:
#   bash benchmarks/reports/2026-12-05-cpu/session44-mnist/run.sh 3
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
for s in ${@:-3}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out "$HERE/seed$s" > "$HERE/seed$s.log" 2>&1
done
