cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session26-digits-probes
while pgrep -f wave1.sh > /dev/null; do sleep 5; done
for m in kminit500 warm2000; do
  for s in 0 2; do
    python $D/probe5.py digits $s 20000 $m $m >> $D/wave2.jsonl &
    python $D/probe5.py digits $((s+1)) 20000 $m $m >> $D/wave2.jsonl &
    wait
  done
done
