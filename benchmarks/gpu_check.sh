#!/usr/bin/env bash
# One call on a lent GPU machine (see benchmarks/README.md, "On a GPU"): the test
# suite with CUDA present, gpu_speed.py, and three MNIST learning curves (paper's
# conv nets, seeds 0-2, side by side on the one GPU). Reads MNIST from $1;
# writes logs and reports to $2. Budget: about 8 minutes.
set -u
data=${1:?data directory}; out=${2:?output directory}
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1
{
  date; nvidia-smi -L; nproc
  python3 -c "import torch, sklearn, numpy, scipy; print(torch.__version__, torch.version.cuda, \
sklearn.__version__, numpy.__version__, scipy.__version__, torch.cuda.get_device_name())"
  python3 -c "
import numpy as np, torch
from skclustergan import ClusterGAN
X = np.random.default_rng(0).random((500, 8))
m = ClusterGAN(n_clusters=3, max_iter=50, random_state=0).fit(X)
print('smoke fit on', m._model_device(), m.predict(X[:5]), m.transform(X[:2]).shape)"
} > "$out/env.txt" 2>&1
cat "$out/env.txt"
timeout "${SPEED_S:-170}" python3 benchmarks/gpu_speed.py --out "$out/gpu_speed.md" \
  > "$out/gpu_speed.log" 2>&1
echo "gpu_speed rc $?"; tail -n 40 "$out/gpu_speed.log"
for seed in 0 1 2; do
  timeout "${CURVE_KILL_S:-330}" python3 benchmarks/learning_curve.py --dataset mnist \
    --data-dir "$data" --device cuda --seed $seed --chunk 5000 \
    --time-limit "${CURVE_S:-240}" --out "$out/mnist_curves.jsonl" \
    >> "$out/curves.log" 2>&1 &
done
OMP_NUM_THREADS=2 timeout "${TESTS_S:-300}" python3 -m pytest -q -p no:cacheprovider -n 4 \
  -rfE --timeout 240 tests > "$out/pytest.log" 2>&1
echo "pytest rc $?"; tail -n 30 "$out/pytest.log"
wait
grep -v '^{' "$out/curves.log" | tail -n 20
cat "$out/mnist_curves.jsonl" | python3 -c "
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if 'accuracy' in r:
        print(r['seed'], r['iterations'], r['train_s'], r.get('readout', 'argmax'),
              r['accuracy'], r['nmi'], r['ari'], r['purity'])"
