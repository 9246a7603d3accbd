cd /work/main
while pgrep -f "session24-backprop/bench-digits" > /dev/null; do sleep 5; done
D=benchmarks/reports/2026-12-02-cpu/session24-fashion-restarts
python $D/probe_restart.py 0 0 30000 >> $D/restarts.jsonl &
python $D/probe_restart.py 0 1 30000 >> $D/restarts.jsonl &
wait
