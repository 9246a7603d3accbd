"""``benchmarks/run_benchmarks.py`` with a shared-fakes field set in every ClusterGAN fit.

    python shared_fakes.py reuse|recycle RUN_BENCHMARKS_ARGS...

Branch ``fake-reuse``: ``reuse`` sets ``TrainingConfig.reuse_fakes`` (the G+E step trains
on the last critic step's codes and ``G(z)``), ``recycle`` sets ``recycle_fakes``.
"""

import dataclasses
import runpy
import sys
from pathlib import Path

import skclustergan._estimator as est

_config = est.ClusterGAN._training_config
_field = f"{sys.argv[1]}_fakes"


def _shared(self, schedule=None):
    return dataclasses.replace(_config(self, schedule), **{_field: True})


est.ClusterGAN._training_config = _shared
script = str(Path(__file__).resolve().parents[3] / "run_benchmarks.py")
sys.argv = [script, *sys.argv[2:]]
runpy.run_path(script, run_name="__main__")
