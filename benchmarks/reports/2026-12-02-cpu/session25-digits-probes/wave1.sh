cd /work/main
P=benchmarks/reports/2026-12-01-cpu/session21-digits-probes/probe.py
for s in 0 1 2 3 4 5; do
  python $P digits $s 20000 bc30 '{"beta_c": 30.0}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave1.jsonl &
  python $P digits $s 20000 bc3 '{"beta_c": 3.0}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave1.jsonl &
  wait
done
