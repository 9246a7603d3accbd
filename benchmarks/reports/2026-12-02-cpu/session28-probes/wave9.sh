cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
while pgrep -f "wave[1-8].sh" > /dev/null; do sleep 5; done
for s in 0 2 4; do
  python $D/probe12.py pendigits $s 50000 >> $D/wave9.jsonl &
  python $D/probe12.py pendigits $((s+1)) 50000 >> $D/wave9.jsonl &
  wait
done
