"""probe0.py DATASET SEED MAX_ITER -> one JSON line: the defaults, unpatched (to check that
this machine reproduces the earlier sessions' fits of the same seeds bit for bit)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "session28-probes"))
from harness import command_line, fit_and_report  # noqa: E402

ds, seed, max_iter = command_line()
fit_and_report(ds, seed, max_iter, "default")
