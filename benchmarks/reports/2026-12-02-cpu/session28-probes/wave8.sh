cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
while pgrep -f "wave[1-7].sh" > /dev/null; do sleep 5; done
for s in 6 8 10 12 14 16; do
  python $D/probe12.py digits $s 20000 >> $D/wave8.jsonl &
  python $D/probe12.py digits $((s+1)) 20000 >> $D/wave8.jsonl &
  wait
done
