#!/bin/bash
# A fresh Fashion-MNIST fit (seed 4: no read-out was ever chosen on it) for the kept-set
# probe: the benchmark's settings (conv-small, 45,000 iterations, latent_dim 40, beta_n 0),
# both threads, machine otherwise idle, then keptset.py on the saved model.
#   bash run_fashion.sh 4
cd "$(dirname "$0")/../../../.."   # the repository root; ../shared/data beside it
D=benchmarks/reports/2026-12-04-cpu/session38-keptset
for s in ${@:-4}; do
  python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets fashion-mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out $D/fashion-seed$s > $D/fashion-seed$s.log 2>&1
  python $D/keptset.py $D/fashion-seed$s/models/fashion-mnist-seed$s.pt ../shared/data 2 \
    >> $D/keptset-fashion.jsonl
done
