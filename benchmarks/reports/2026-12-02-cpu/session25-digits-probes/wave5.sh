cd /work/main
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 0 1 2 3 4 5; do
  python $P digits $s 40000 w128-40k '{"hidden_layer_sizes": [128, 128]}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave5.jsonl &
  python $P digits $s 20000 ld5 '{"latent_dim": 5}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave5.jsonl &
  wait
done
