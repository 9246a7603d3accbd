cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
for s in 6 7 8 9 10 11; do
  python $D/probe13.py digits $s 20000 5000 >> $D/wave12.jsonl &
  python $D/probe10.py digits $s 20000 >> $D/wave12.jsonl &
  wait
done
