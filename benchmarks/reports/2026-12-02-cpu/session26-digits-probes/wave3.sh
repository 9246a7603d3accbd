cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session26-digits-probes
while pgrep -f wave2.sh > /dev/null; do sleep 5; done
for s in 4 6 8 10; do
  python $D/probe5.py digits $s 20000 warm2000 warm2000 >> $D/wave3.jsonl &
  python $D/probe5.py digits $((s+1)) 20000 warm2000 warm2000 >> $D/wave3.jsonl &
  wait
done
for s in 0 2; do
  python $D/probe5.py digits $s 20000 warm5000 warm5000 >> $D/wave3.jsonl &
  python $D/probe5.py digits $((s+1)) 20000 warm5000 warm5000 >> $D/wave3.jsonl &
  wait
done
