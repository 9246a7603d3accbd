cd /work/main
P=benchmarks/reports/2026-12-02-cpu/session25-digits-probes/probe3.py
for s in 0 1 2 3; do
  python $P $s 20000 aug-d d >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave4.jsonl &
  python $P $s 20000 aug-de de >> benchmarks/reports/2026-12-02-cpu/session25-digits-probes/wave4.jsonl &
  wait
done
