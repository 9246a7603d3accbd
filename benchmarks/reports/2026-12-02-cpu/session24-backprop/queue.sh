cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session24-backprop
python $D/backprop_readout.py digits 0 500 >> $D/digits.jsonl
for s in 1 3; do
  python $D/backprop_readout.py digits $s 500 >> $D/digits.jsonl &
  python $D/backprop_readout.py digits $((s+1)) 500 >> $D/digits.jsonl &
  wait
done
python $D/backprop_readout.py digits 5 500 >> $D/digits.jsonl &
python $D/backprop_readout.py pendigits 0 500 >> $D/pendigits.jsonl &
wait
python $D/backprop_readout.py pendigits 1 500 >> $D/pendigits.jsonl &
python $D/backprop_readout.py pendigits 2 500 >> $D/pendigits.jsonl &
wait
