"""probe14.py DATASET SEED MAX_ITER SCALE -> one JSON line.

E's learning rate SCALE times G's (and the critic's), in the one Adam of the joint G+E step (two
parameter groups; the schedule scales both): a faster encoder fits G's current partition sooner,
a slower one lets G's clusters form before E pins them down. (The twenty-first session's TTUR
changed the critic's rate against G and E together.)
"""
import torch
import skclustergan._training as tr
from harness import command_line, fit_and_report

ds, seed, max_iter, scale = command_line(str)
_init = tr.Trainer.__init__


def init(self, generator, discriminator, encoder, config, *args, **kwargs):
    _init(self, generator, discriminator, encoder, config, *args, **kwargs)
    assert not self.ge_optimizer.state
    self.ge_optimizer = torch.optim.Adam(
        [{"params": list(generator.parameters()), "scale": 1.0},
         {"params": list(encoder.parameters()), "scale": float(scale)}],
        lr=config.learning_rate, betas=tuple(config.adam_betas), fused=True)


def set_learning_rate(self, learning_rate):
    for group in self.d_optimizer.param_groups:
        group["lr"] = learning_rate
    for group in self.ge_optimizer.param_groups:
        group["lr"] = learning_rate * group["scale"]


tr.Trainer.__init__ = init
tr.Trainer.set_learning_rate = set_learning_rate
fit_and_report(ds, seed, max_iter, f"encoder-lr-x{scale}")
