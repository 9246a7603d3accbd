"""run_benchmarks.py with the package's denormal flush switched off (same arguments)."""

import contextlib
import runpy
import sys

import skclustergan._training as training

training.flush_denormals = lambda device: contextlib.nullcontext()
sys.argv = ["run_benchmarks.py", *sys.argv[1:]]
runpy.run_path("benchmarks/run_benchmarks.py", run_name="__main__")
