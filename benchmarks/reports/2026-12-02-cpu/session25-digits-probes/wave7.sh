cd /work/main
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 0 1 2 3 4 5; do
  python $P digits $s 13000 ncritic2-13k '{"n_critic": 2}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave7.jsonl &
  python $P digits $s 20000 gp30 '{"gp_weight": 30.0}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave7.jsonl &
  wait
done
