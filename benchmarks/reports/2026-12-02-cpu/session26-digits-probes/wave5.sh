cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session26-digits-probes
for s in 4 6 8 10; do
  python $D/probe5.py digits $s 20000 wardinit500 wardinit500 >> $D/wave5.jsonl &
  python $D/probe5.py digits $((s+1)) 20000 wardinit500 wardinit500 >> $D/wave5.jsonl &
  wait
done
