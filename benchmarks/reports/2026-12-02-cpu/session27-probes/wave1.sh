cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session27-probes
for s in 0 2 4; do
  python benchmarks/reports/2026-12-02-cpu/session26-digits-probes/probe5.py digits $s 20000 linear-output none '{"output_activation": "linear"}' >> $D/wave1.jsonl &
  python benchmarks/reports/2026-12-02-cpu/session26-digits-probes/probe5.py digits $((s+1)) 20000 linear-output none '{"output_activation": "linear"}' >> $D/wave1.jsonl &
  wait
done
for s in 0 2; do
  python benchmarks/reports/2026-12-02-cpu/session26-digits-probes/probe5.py pendigits $s 50000 linear-output none '{"output_activation": "linear"}' >> $D/wave1.jsonl &
  python benchmarks/reports/2026-12-02-cpu/session26-digits-probes/probe5.py pendigits $((s+1)) 50000 linear-output none '{"output_activation": "linear"}' >> $D/wave1.jsonl &
  wait
done
