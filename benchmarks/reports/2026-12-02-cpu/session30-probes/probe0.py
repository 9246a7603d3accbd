"""probe0.py DATASET SEED MAX_ITER -> one JSON line: the defaults, unpatched (to check that
this machine reproduces the earlier sessions' fits of the same seeds bit for bit)."""
from harness import command_line, fit_and_report

ds, seed, max_iter = command_line()
fit_and_report(ds, seed, max_iter, "default")
