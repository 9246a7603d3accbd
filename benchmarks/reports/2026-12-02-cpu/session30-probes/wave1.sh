cd "$(dirname "$0")"
python probe0.py digits 0 20000 >> wave1.jsonl &
python probe15.py digits 0 20000 >> wave1.jsonl &
wait
for s in 1 3 5 7 9; do
  python probe15.py digits $s 20000 >> wave1.jsonl &
  python probe15.py digits $((s+1)) 20000 >> wave1.jsonl &
  wait
done
python probe15.py digits 11 20000 >> wave1.jsonl
