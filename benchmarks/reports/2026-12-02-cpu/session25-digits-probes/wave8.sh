cd /work/main
while pgrep -f wave7.sh > /dev/null; do sleep 5; done
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 6 8 10 12 14 16; do
  python $P digits $s 20000 gp30 '{"gp_weight": 30.0}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave8.jsonl &
  python $P digits $((s+1)) 20000 gp30 '{"gp_weight": 30.0}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave8.jsonl &
  wait
done
