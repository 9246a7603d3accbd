"""probe9.py DATASET SEED MAX_ITER -> one JSON line.

The gradient penalty with ONE interpolation weight per batch, as the official TF code draws it
(eps ~ U(0, 1) shared by all rows), instead of the estimator's (and Gulrajani et al.'s) one weight per
row. Same random draws; the first row's weight is used for the whole batch.
"""
import skclustergan._mlp_trainer as mt
from harness import command_line, fit_and_report

ds, seed, max_iter = command_line()
_init = mt.MlpTrainer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    update = self._critic_update
    self._critic_update = lambda real, z, eps, signs: update(real, z, eps[:1].expand_as(eps), signs)


mt.MlpTrainer.__init__ = init
fit_and_report(ds, seed, max_iter, "gp-eps-per-batch")
