#!/bin/bash
# MNIST on the AMD EPYC with the code of branch conv-layout (d2bbb1d: channels_last conv nets,
# native one-channel deconvolution), the benchmark's documented command (conv-small, 60,000
# iterations, latent_dim 30, both threads, machine otherwise idle), one seed after another,
# with the argmax, nearest and propagate read-outs of the same fit; the models are saved
# (git-ignored). The branch is checked out in a worktree and put first on PYTHONPATH:
#   git worktree add ../conv-layout conv-layout
#   bash run.sh ../conv-layout 1 2     # the forty-third session (seed 0: session42-mnist)
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
TREE="$(cd "$1" && pwd)"; shift
cd "$TREE"          # ../shared/data beside it
for s in ${@:-1}; do
  PYTHONPATH="$TREE" python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets mnist \
    --seeds $s --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --verbose 1 --save-models --no-plots --out "$HERE/seed$s" > "$HERE/seed$s.log" 2>&1
done
