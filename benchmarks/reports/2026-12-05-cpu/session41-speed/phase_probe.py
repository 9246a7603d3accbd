"""Per-block speeds of speed.py's tabular training case, ours against the reference loop.

    python benchmarks/reports/2026-12-05-cpu/session41-speed/phase_probe.py BLOCKS LABEL

LABEL is the start of a case label of ``speed.training_cases`` (e.g. "tabular, n_critic=1
(default)" or "tabular, n_critic=1, compile"); two threads, blocks of 200 iterations,
each of ours followed by one of the reference, as in speed.py, every block printed.
"""

import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]))  # benchmarks/
import speed

torch.set_num_threads(2)
blocks, label = int(sys.argv[1]), sys.argv[2]
case = next(c for c in speed.training_cases(64) if c.label.startswith(label))
model, trainer, data = speed._setup_fast(case, 0)
reference, x = speed._setup_reference(case, model, 0)
loops = (lambda n: trainer.fit(data, n), lambda n: reference.fit(x, n))  # ours, reference
for fn in loops:
    fn(20)  # warm-up (and compilation)
print(case.label, flush=True)
for b in range(blocks):
    rates = []
    for fn in loops:
        start = time.perf_counter()
        fn(200)
        rates.append(200 / (time.perf_counter() - start))
    print(
        f"block {b}: ours {rates[0]:.1f} it/s, reference {rates[1]:.1f} it/s, "
        f"ratio {rates[0] / rates[1]:.2f}",
        flush=True,
    )
