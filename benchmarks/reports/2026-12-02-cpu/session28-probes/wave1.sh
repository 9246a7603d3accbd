cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
for s in 0 1 2 3 4 5; do
  python $D/probe8.py digits $s 20000 glorot >> $D/wave1.jsonl &
  python $D/probe8.py digits $s 20000 official >> $D/wave1.jsonl &
  wait
done
for s in 0 2 4; do
  python $D/probe8.py digits $s 20000 orthogonal >> $D/wave1.jsonl &
  python $D/probe8.py digits $((s+1)) 20000 orthogonal >> $D/wave1.jsonl &
  wait
done
