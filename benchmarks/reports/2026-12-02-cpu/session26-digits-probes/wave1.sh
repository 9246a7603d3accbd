cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session26-digits-probes
for m in noise0.1 noise0.3 drop0.2; do
  for s in 0 2; do
    python $D/probe4.py digits $s 20000 $m $m >> $D/wave1.jsonl &
    python $D/probe4.py digits $((s+1)) 20000 $m $m >> $D/wave1.jsonl &
    wait
  done
done
