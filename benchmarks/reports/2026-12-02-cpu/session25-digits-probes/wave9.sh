cd /work/main
while pgrep -f wave8.sh > /dev/null; do sleep 5; done
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe2.py
for s in 0 2 4; do
  python $P pendigits $s 50000 gp30 '{"gp_weight": 30.0}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave9.jsonl &
  python $P pendigits $((s+1)) 50000 gp30 '{"gp_weight": 30.0}' >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave9.jsonl &
  wait
done
