cd "$(dirname "$0")"
for s in 0 2 4 6 8 10; do
  python probe16.py digits $s 20000 512 >> wave2.jsonl &
  python probe16.py digits $((s+1)) 20000 512 >> wave2.jsonl &
  wait
done
