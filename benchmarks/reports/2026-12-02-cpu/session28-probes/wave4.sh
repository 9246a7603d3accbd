cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session28-probes
while pgrep -f "wave[123].sh" > /dev/null; do sleep 5; done
for h in 128 512; do
for s in 0 2 4; do
  python $D/probe11.py digits $s 20000 critic-$h-$h "[$h, $h]" >> $D/wave4.jsonl &
  python $D/probe11.py digits $((s+1)) 20000 critic-$h-$h "[$h, $h]" >> $D/wave4.jsonl &
  wait
done
done
