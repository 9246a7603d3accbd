"""probe13.py DATASET SEED MAX_ITER RAMP -> one JSON line.

beta_c ramped linearly from 0 to its default 10 over the first RAMP generator steps, then held:
G first learns the data with z_c unused, and the cluster-recovery loss then partitions what it
has learned, instead of fixing the partition while G's samples are still noise. beta_c enters the
written-out generator step as two 0-d tensors (the loss weight and d loss / d logits), which are
rewritten in place before each step.
"""
import skclustergan._mlp_trainer as mt
from harness import command_line, fit_and_report

ds, seed, max_iter, ramp = command_line(int)
_init = mt.MlpTrainer.__init__


def init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    update, w, n = self._generator_update, self._weights, self.config.batch_size
    beta_c, step = float(w.beta_c), [0]

    def ramped(z_n, z):
        b = beta_c * min(1.0, step[0] / ramp)
        step[0] += 1
        w.beta_c.fill_(b)
        w.zc_grad.fill_(b / n)
        return update(z_n, z)
    self._generator_update = ramped


mt.MlpTrainer.__init__ = init
fit_and_report(ds, seed, max_iter, f"beta-c-ramp{ramp}")
