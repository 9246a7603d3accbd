cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session24-overcluster
for s in 0 2 4; do
  python $D/probe_over.py digits $s 20000 20 >> $D/digits.jsonl &
  python $D/probe_over.py digits $((s+1)) 20000 20 >> $D/digits.jsonl &
  wait
done
