cd /work/main
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 0 2 4; do
  python $P digits $s 6000 conv8-6k '{"architecture": "conv-small", "image_shape": [1, 8, 8]}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave6.jsonl &
  python $P digits $((s+1)) 6000 conv8-6k '{"architecture": "conv-small", "image_shape": [1, 8, 8]}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave6.jsonl &
  wait
done
