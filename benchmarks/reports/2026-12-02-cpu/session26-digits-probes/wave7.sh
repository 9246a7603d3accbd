cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session26-digits-probes
for m in oracleinit500 kminit500; do
  for s in 0 2; do
    python $D/probe5.py pendigits $s 50000 $m $m >> $D/wave7.jsonl &
    python $D/probe5.py pendigits $((s+1)) 50000 $m $m >> $D/wave7.jsonl &
    wait
  done
done
