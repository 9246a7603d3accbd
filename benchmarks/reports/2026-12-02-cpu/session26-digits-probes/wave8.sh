cd /work/main
D=benchmarks/reports/2026-12-02-cpu/session26-digits-probes
python $D/probe5.py fashion-mnist 0 15000 oracleinit500 oracleinit500 >> $D/wave8.jsonl &
python $D/probe5.py fashion-mnist 1 15000 oracleinit500 oracleinit500 >> $D/wave8.jsonl &
wait
