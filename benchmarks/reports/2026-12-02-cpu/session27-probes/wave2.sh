cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session27-probes
for pen in one-sided zero; do
for s in 0 2 4; do
  python $D/probe6.py digits $s 20000 gp-$pen $pen >> $D/wave2.jsonl &
  python $D/probe6.py digits $((s+1)) 20000 gp-$pen $pen >> $D/wave2.jsonl &
  wait
done
done
