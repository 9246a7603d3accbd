# The benchmark's digits and Pendigits fits, seeds 0-2, with the three ClusterGAN read-outs
# (2 threads, machine otherwise idle); then the saved Fashion-MNIST fits of sessions 34-35
# read out again (no refit).
cd "$(dirname "$0")/../../../.."
D=benchmarks/reports/2026-12-04-cpu/session36-propagate
python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets digits pendigits \
    --seeds 0 1 2 --threads 2 --methods clustergan clustergan-paper clustergan-nearest \
    clustergan-propagate kmeans --no-plots --out $D/tabular > $D/tabular.log 2>&1
F=benchmarks/reports/2026-12-04-cpu/session34-fashion
THREADS=2 METHODS="argmax nearest propagate" python $D/saved_models.py fashion-mnist \
    ../shared/data $F/seed0/models/fashion-mnist-seed0.pt $F/seed1/models/fashion-mnist-seed1.pt \
    $F/seed2/models/fashion-mnist-seed2.pt > $D/fashion-2threads.jsonl
