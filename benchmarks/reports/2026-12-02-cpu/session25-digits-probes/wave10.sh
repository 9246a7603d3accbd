cd /work/main
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 0 1 2 3 4 5; do
  python $P digits $s 20000 depth3 '{"hidden_layer_sizes": [256, 256, 256]}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave10.jsonl &
  python $P pendigits $s 50000 depth3 '{"hidden_layer_sizes": [256, 256, 256]}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave10.jsonl &
  wait
done
