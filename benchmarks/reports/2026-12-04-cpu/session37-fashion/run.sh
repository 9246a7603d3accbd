#!/bin/bash
# Fashion-MNIST, a seed none of the read-outs was chosen on (the propagate read-out's kept
# fraction was picked on seeds 0-2 of session34-fashion): the benchmark's settings
# (conv-small, 45,000 iterations, latent_dim 40, beta_n 0), both threads, machine otherwise
# idle, with the argmax, nearest and propagate read-outs of the same fit:
#   bash run.sh 3       # the thirty-seventh session (AMD EPYC)
cd "$(dirname "$0")/../../../.."   # the repository root; ../shared/data beside it
D=benchmarks/reports/2026-12-04-cpu/session37-fashion
for s in ${@:-3}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets fashion-mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out $D/seed$s > $D/seed$s.log 2>&1
done
