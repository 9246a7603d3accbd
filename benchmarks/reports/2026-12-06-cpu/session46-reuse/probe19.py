"""probe17.py (thirty-sixth session) with the first critic step reusing the last G+E step's fakes.

    python probe19.py DATASET SEED MAX_ITER TAG PARAMS

Same arguments and output line as ``../../2026-12-04-cpu/session36-probes/probe17.py``;
the estimator's training configuration gets ``recycle_fakes=True`` (branch ``fake-reuse``).
"""

import dataclasses
import runpy
import sys

import skclustergan._estimator as est

_config = est.ClusterGAN._training_config


def _reusing(self, schedule=None):
    return dataclasses.replace(_config(self, schedule), recycle_fakes=True)


est.ClusterGAN._training_config = _reusing
probe17 = __file__.rsplit("/", 2)[0] + "/../2026-12-04-cpu/session36-probes/probe17.py"
sys.argv = [probe17, *sys.argv[1:]]
runpy.run_path(probe17, run_name="__main__")
