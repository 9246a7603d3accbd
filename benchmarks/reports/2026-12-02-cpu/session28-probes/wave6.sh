cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
while pgrep -f "wave[12345].sh" > /dev/null; do sleep 5; done
for s in 0 2 4; do
  python $D/probe12.py digits $s 20000 >> $D/wave6.jsonl &
  python $D/probe12.py digits $((s+1)) 20000 >> $D/wave6.jsonl &
  wait
done
