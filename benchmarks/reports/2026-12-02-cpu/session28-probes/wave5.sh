cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
while pgrep -f "wave[1234].sh" > /dev/null; do sleep 5; done
for s in 6 8 10; do
  python $D/probe8.py digits $s 20000 orthogonal >> $D/wave5.jsonl &
  python $D/probe8.py digits $((s+1)) 20000 orthogonal >> $D/wave5.jsonl &
  wait
done
