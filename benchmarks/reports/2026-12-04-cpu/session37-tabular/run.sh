#!/bin/bash
# Fresh digits and Pendigits fits (seeds 3-5, none used to choose a read-out), saved, for
# the confidence-ranking probe of the propagate read-out (ties.py); 2 threads, idle machine.
cd "$(dirname "$0")/../../../.."
D=benchmarks/reports/2026-12-04-cpu/session37-tabular
python benchmarks/run_benchmarks.py --data-dir ../shared/data --datasets digits pendigits \
    --seeds 3 4 5 --threads 2 --methods clustergan clustergan-nearest clustergan-propagate kmeans \
    --no-plots --save-models --out $D/fits > $D/fits.log 2>&1
for m in $D/fits/models/*.pt; do
  python $D/ties.py $m >> $D/ties.jsonl
done
# the same probe on the four saved Fashion-MNIST fits (sessions 34-35 and 37)
F=benchmarks/reports/2026-12-04-cpu
for m in $F/session34-fashion/seed{0,1,2}/models/*.pt $F/session37-fashion/seed3/models/*.pt; do
  python $D/ties.py $m >> $D/ties-fashion.jsonl
done
