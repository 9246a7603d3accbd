cd /work/main
while pgrep -f "session24-backprop/queue.sh" > /dev/null; do sleep 10; done
D=benchmarks/reports/2026-12-02-cpu/session24-pendigits-latent
for s in 0 1 2 3 4 5; do
  python benchmarks/reports/2026-12-01-cpu/session21-digits-probes/probe.py pendigits $s 50000 ld10 '{"latent_dim": 10}' >> $D/probes.jsonl &
  python benchmarks/reports/2026-12-01-cpu/session21-digits-probes/probe.py pendigits $s 50000 ld2 '{"latent_dim": 2}' >> $D/probes.jsonl &
  wait
done
