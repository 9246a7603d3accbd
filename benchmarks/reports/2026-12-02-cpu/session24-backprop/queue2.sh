cd /work/main
while pgrep -f "session24-pendigits-latent/queue.sh" > /dev/null; do sleep 10; done
D=benchmarks/reports/2026-12-02-cpu/session24-backprop
for s in 3 5; do
  python $D/backprop_readout.py pendigits $s 500 >> $D/pendigits.jsonl &
  python $D/backprop_readout.py pendigits $((s+1)) 500 >> $D/pendigits.jsonl &
  wait
done
