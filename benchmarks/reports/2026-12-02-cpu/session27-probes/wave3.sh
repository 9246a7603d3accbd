cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session27-probes
while pgrep -f wave2.sh >/dev/null; do sleep 5; done
for s in 6 8 10 12 14 16; do
  python $D/probe6.py digits $s 20000 gp-one-sided one-sided >> $D/wave3.jsonl &
  python $D/probe6.py digits $((s+1)) 20000 gp-one-sided one-sided >> $D/wave3.jsonl &
  wait
done
for s in 0 2 4; do
  python $D/probe6.py pendigits $s 50000 gp-one-sided one-sided >> $D/wave3.jsonl &
  python $D/probe6.py pendigits $((s+1)) 50000 gp-one-sided one-sided >> $D/wave3.jsonl &
  wait
done
