cd /work/main
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 0 1 2 3 4 5; do
  python $P digits $s 20000 strat '{}' stratified >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave2-3.jsonl &
  python $P digits $s 20000 conv8 '{"architecture": "conv-small", "image_shape": [1, 8, 8]}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave2-3.jsonl &
  wait
done
