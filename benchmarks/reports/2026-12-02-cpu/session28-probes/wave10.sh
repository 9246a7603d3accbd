cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
while pgrep -f "wave[1-9].sh" > /dev/null; do sleep 5; done
for s in 0 1 2 3 4 5; do
  python $D/probe14.py digits $s 20000 3 >> $D/wave10.jsonl &
  python $D/probe14.py digits $s 20000 0.33 >> $D/wave10.jsonl &
  wait
done
