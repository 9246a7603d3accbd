#!/bin/bash
# Fashion-MNIST, the benchmark's settings (conv-small, 45,000 iterations, latent_dim 40,
# beta_n 0), one seed after another on both threads, with the nearest read-out row and the
# models saved for the partition analysis (G's partition against E's read-out):
#   bash run.sh 0 1     # the thirty-fourth session (AMD EPYC): seeds 0 and 1, 55-60 min each
#   bash run.sh 2       # seed 2: the thirty-fifth session, alone, again on a 2-core AMD EPYC
# then, per saved model:
#   python benchmarks/reports/2026-12-04-cpu/session33-readouts/partition.py --dataset fashion-mnist \
#       --data-dir ../shared/data --threads 2 --model $D/seedS/models/fashion-mnist-seedS.pt \
#       --out $D/partition-seedS.json > $D/partition-seedS.txt
cd "$(dirname "$0")/../../../.."   # the repository root; ../shared/data beside it
D=benchmarks/reports/2026-12-04-cpu/session34-fashion
for s in ${@:-0 1 2}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets fashion-mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-paper clustergan-nearest kmeans \
    --verbose 1 --save-models --out $D/seed$s > $D/seed$s.log 2>&1
done
