cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
while pgrep -f "wave1.sh" > /dev/null; do sleep 5; done
for s in 0 2 4 6 8 10; do
  python $D/probe9.py digits $s 20000 >> $D/wave2.jsonl &
  python $D/probe9.py digits $((s+1)) 20000 >> $D/wave2.jsonl &
  wait
done
