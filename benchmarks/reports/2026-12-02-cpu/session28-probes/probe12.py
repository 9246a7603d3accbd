"""probe12.py DATASET SEED MAX_ITER -> one JSON line.

G's BatchNorm layers without a learned scale (gamma fixed at 1, beta learned), as
tf.contrib.layers.batch_norm builds them by default (scale=False) in the official code. The
written-out generator step runs unchanged; its gamma gradients are zeroed before each Adam step,
and Adam moves a parameter whose gradient has always been zero by exactly 0.
"""
import torch
import skclustergan._mlp_trainer as mt
from harness import command_line, fit_and_report

ds, seed, max_iter = command_line()
_init = mt.MlpTrainer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    update = self._generator_update
    gammas = [b.norm.weight for b in self.layout.generator if b.norm is not None]
    assert gammas

    def frozen(z_n, z):
        losses = update(z_n, z)
        for g in gammas:
            g.grad.zero_()
        return losses
    self._generator_update = frozen


def gamma_unmoved(model, X):
    g = [mod.weight for mod in model.generator_.modules() if isinstance(mod, torch.nn.BatchNorm1d)]
    assert all(bool((w == 1).all()) for w in g), "gamma moved"
    return {}


mt.MlpTrainer.__init__ = init
fit_and_report(ds, seed, max_iter, "g-bn-no-scale", inspect=gamma_unmoved)
