"""Is G's sigmoid output the source of the denormals? (No: see the README.)

denormal_probe.py without the flush, and with MODE "clamp" G's nn.Sigmoid computes
sigmoid(clamp(x, min=-87)), whose output is never denormal; every CHUNK iterations
records the chunk's it/s, denormal counts, and the share of denormal pixels in 256
generated samples.
Usage: python sigmoid_probe.py DATASET N_ITER CHUNK {clamp,plain}
"""

import json
import sys
import time

import torch

from skclustergan import ClusterGAN, _training
from skclustergan.datasets import load_dataset

torch.set_num_threads(1)
name, n_iter, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
MODE_ARG = sys.argv[4]
extra = {}
X, y = load_dataset(name, "../shared/data")
params = {
    "n_clusters": 10, "latent_dim": 40 if name == "fashion-mnist" else 30,
    "beta_n": 0.0 if name == "fashion-mnist" else 10.0, "architecture": "conv-small",
    "image_shape": (1, 28, 28), "max_iter": n_iter, "random_state": 0, "device": "cpu",
    "learning_rate_schedule": "constant",
}
params.update(extra)
TINY = torch.finfo(torch.float32).tiny


def denormals(tensors):
    n = 0
    for t in tensors:
        if t is not None and t.is_floating_point():
            n += int(((t != 0) & (t.abs() < TINY)).sum())
    return n


def _fake_frac(tr):
    with torch.no_grad():
        tr.generator.eval()
        z = tr.sample_latent(256)[2]
        out = tr.generator(z)
        tr.generator.train()
    return round(float(((out != 0) & (out.abs() < TINY)).float().mean()), 5)


state = {"i": 0, "t": time.perf_counter(), "flush": False}
original = _training.Trainer.train_step


def train_step(self, data, out):
    original(self, data, out)
    state["i"] += 1
    if state["i"] % chunk == 0:
        now = time.perf_counter()
        nets = (self.generator, self.discriminator, self.encoder)
        params_ = [p for net in nets for p in net.parameters()]
        buffers = [b for net in nets for b in net.buffers()]
        opt_state = [
            v for opt in (self.d_optimizer, self.ge_optimizer)
            for s in opt.state.values() for v in s.values() if torch.is_tensor(v)
        ]
        rec = {
            "iter": state["i"], "flush": state["flush"],
            "it_per_s": round(chunk / (now - state["t"]), 2),
            "denormal_params": denormals(params_),
            "denormal_grads": denormals(p.grad for p in params_),
            "denormal_buffers": denormals(buffers),
            "denormal_adam": denormals(opt_state),
            "denormal_fake_frac": _fake_frac(self),
        }
        print(json.dumps(rec), flush=True)
        state["t"] = time.perf_counter()


_training.Trainer.train_step = train_step
if MODE_ARG == "clamp":
    torch.nn.Sigmoid.forward = lambda self, x: torch.sigmoid(x.clamp(min=-87.0))
ClusterGAN(**params).fit(X)
