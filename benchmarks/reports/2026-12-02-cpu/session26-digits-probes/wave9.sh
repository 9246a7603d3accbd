cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session26-digits-probes
for s in 0 2; do
  python $D/probe5.py pendigits $s 50000 oracleinit500-linear oracleinit500 '{"learning_rate_schedule": "linear"}' >> $D/wave9.jsonl &
  python $D/probe5.py pendigits $((s+1)) 50000 oracleinit500-linear oracleinit500 '{"learning_rate_schedule": "linear"}' >> $D/wave9.jsonl &
  wait
done
