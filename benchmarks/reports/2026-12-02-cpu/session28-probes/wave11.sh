cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
for s in 6 8 10; do
  python $D/probe11.py digits $s 20000 critic-512-512 "[512, 512]" >> $D/wave11.jsonl &
  python $D/probe11.py digits $((s+1)) 20000 critic-512-512 "[512, 512]" >> $D/wave11.jsonl &
  wait
done
for s in 0 2; do
  python $D/probe11.py pendigits $s 50000 critic-512-512 "[512, 512]" >> $D/wave11.jsonl &
  python $D/probe11.py pendigits $((s+1)) 50000 critic-512-512 "[512, 512]" >> $D/wave11.jsonl &
  wait
done
