#!/bin/bash
# Fresh digits and Pendigits fits (seeds 6-11, never used to choose a read-out), saved, for
# the kept-set probe of the propagate read-out (keptset.py). One thread per fit, two
# benchmark processes side by side on the two cores, nothing else running.
cd "$(dirname "$0")/../../../.."
D=benchmarks/reports/2026-12-04-cpu/session38-keptset
common="--data-dir ../shared/data --threads 1 --methods clustergan clustergan-propagate kmeans --no-plots --save-models"
( python benchmarks/run_benchmarks.py $common --datasets digits --seeds 6 7 8 9 10 11 --out $D/fits-a &&
  python benchmarks/run_benchmarks.py $common --datasets pendigits --seeds 6 7 --out $D/fits-b ) > $D/fits-a.log 2>&1 &
python benchmarks/run_benchmarks.py $common --datasets pendigits --seeds 8 9 10 11 --out $D/fits-c > $D/fits-c.log 2>&1
wait
# the kept-set probe on each saved fit, 2 threads, after both processes ended
for m in $D/fits-a/models/*.pt $D/fits-b/models/*.pt $D/fits-c/models/*.pt; do
  python $D/keptset.py $m ../shared/data 2 >> $D/keptset.jsonl
done
