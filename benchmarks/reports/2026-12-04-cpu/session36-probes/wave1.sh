# digits, seeds 0-11, 20,000 iterations, one thread per fit, two side by side
cd "$(dirname "$0")/../../../.."
D=benchmarks/reports/2026-12-04-cpu/session36-probes
for s in 0 1 2 3 4 5 6 7 8 9 10 11; do
  python $D/probe17.py digits $s 20000 defaults '{}' >> $D/wave1.jsonl &
  python $D/probe17.py digits $s 20000 beta_n-0 '{"beta_n": 0}' >> $D/wave1.jsonl &
  wait
  python $D/probe17.py digits $s 20000 beta_c-1 '{"beta_c": 1}' >> $D/wave1.jsonl &
  python $D/probe17.py digits $s 20000 latent_dim-30 '{"latent_dim": 30}' >> $D/wave1.jsonl &
  wait
done
