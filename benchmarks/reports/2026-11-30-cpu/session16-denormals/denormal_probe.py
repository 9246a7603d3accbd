"""Does a conv-small fit slow down over time because of denormal floats?

Trains ClusterGAN (conv-small) on a data set, one thread, constant rate, with the
package's own flush switched off; every CHUNK iterations records the chunk's it/s,
the denormal entries in parameters, gradients, buffers and Adam state, and the share
of denormal pixels in 256 generated samples. MODE "alternate": torch.set_flush_denormal
off / on every other chunk; "off": never; "clamp": never, and G's nn.Sigmoid computes
sigmoid(clamp(x, min=-87)), whose output is never denormal.
Usage: python denormal_probe.py DATASET N_ITER CHUNK [alternate|off|clamp]
(fashion-alternating-flush.jsonl: fashion-mnist 9000 500 alternate, run before the
pixel share was recorded; fashion-clamped-sigmoid-no-flush.jsonl: fashion-mnist 5000
500 clamp, which drew those samples from the training generator's random stream.)
"""

import contextlib
import json
import sys
import time

import torch

from skclustergan import ClusterGAN, _training
from skclustergan._prior import sample_codes
from skclustergan.datasets import load_dataset

torch.set_num_threads(1)
name, n_iter, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mode = sys.argv[4] if len(sys.argv) > 4 else "alternate"
X, y = load_dataset(name, "../shared/data")
params = {
    "n_clusters": 10, "latent_dim": 40 if name == "fashion-mnist" else 30,
    "beta_n": 0.0 if name == "fashion-mnist" else 10.0, "architecture": "conv-small",
    "image_shape": (1, 28, 28), "max_iter": n_iter, "random_state": 0, "device": "cpu",
    "learning_rate_schedule": "constant",
}
TINY = torch.finfo(torch.float32).tiny


def denormals(tensors):
    n = 0
    for t in tensors:
        if t is not None and t.is_floating_point():
            n += int(((t != 0) & (t.abs() < TINY)).sum())
    return n


def denormal_pixel_share(trainer):
    cfg = trainer.config
    rng = torch.Generator().manual_seed(0)
    z = sample_codes(256, cfg.latent_dim, cfg.n_clusters, cfg.sigma, rng, trainer.device)[0]
    with torch.no_grad():
        trainer.generator.eval()
        out = trainer.generator(z)
        trainer.generator.train()
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
        opt_state = [
            v for opt in (self.d_optimizer, self.ge_optimizer)
            for s in opt.state.values() for v in s.values() if torch.is_tensor(v)
        ]  # fmt: skip
        rec = {
            "iter": state["i"], "flush": state["flush"],
            "it_per_s": round(chunk / (now - state["t"]), 2),
            "denormal_params": denormals(params_),
            "denormal_grads": denormals(p.grad for p in params_),
            "denormal_buffers": denormals(b for net in nets for b in net.buffers()),
            "denormal_adam": denormals(opt_state),
            "denormal_pixel_share": denormal_pixel_share(self),
        }  # fmt: skip
        print(json.dumps(rec), flush=True)
        if mode == "alternate":
            state["flush"] = not state["flush"]
            torch.set_flush_denormal(state["flush"])
        state["t"] = time.perf_counter()


_training.Trainer.train_step = train_step
_training.flush_denormals = lambda device: contextlib.nullcontext()  # the probe decides
if mode == "clamp":
    torch.nn.Sigmoid.forward = lambda self, x: torch.sigmoid(x.clamp(min=-87.0))
ClusterGAN(**params).fit(X)
