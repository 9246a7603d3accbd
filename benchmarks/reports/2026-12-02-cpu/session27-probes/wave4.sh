cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session27-probes
for h in 64 512; do
for s in 0 2 4; do
  python $D/probe7.py digits $s 20000 encoder-$h-$h "[$h, $h]" >> $D/wave4.jsonl &
  python $D/probe7.py digits $((s+1)) 20000 encoder-$h-$h "[$h, $h]" >> $D/wave4.jsonl &
  wait
done
done
