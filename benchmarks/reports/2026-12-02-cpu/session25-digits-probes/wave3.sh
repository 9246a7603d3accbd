cd /work/main
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 1 3 5 7 9 11; do
  python $P digits $s 20000 strat '{}' stratified >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave2-3.jsonl &
  python $P digits $((s+1)) 20000 strat '{}' stratified >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave2-3.jsonl &
  wait
done
