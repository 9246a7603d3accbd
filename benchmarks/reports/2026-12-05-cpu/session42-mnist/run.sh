#!/bin/bash
# MNIST on the AMD EPYC with the code of branch conv-layout (channels_last conv nets, native
# one-channel deconvolution) and the benchmark's documented command (conv-small, 60,000
# iterations, latent_dim 30, both threads, machine otherwise idle), one seed after another,
# with the argmax, nearest and propagate read-outs of the same fit; the models are saved
# (git-ignored):
#   bash run.sh 0        # the forty-second session, after the conv layout change
cd "$(dirname "$0")/../../../.."   # the repository root; ../shared/data beside it
D=benchmarks/reports/2026-12-05-cpu/session42-mnist
for s in ${@:-0}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out $D/seed$s > $D/seed$s.log 2>&1
done
