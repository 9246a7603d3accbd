"""probe8.py DATASET SEED MAX_ITER INIT -> one JSON line.

The tabular nets (G, D, E) are re-initialised before training. PyTorch's default for nn.Linear
(weights U(+-1/sqrt(fan_in)), biases likewise) is what the estimator uses; the official TF code's
fully_connected layers start from Xavier/Glorot-uniform weights and zero biases. INIT:
  glorot      Xavier uniform weights, zero biases, every linear layer of G, D and E (the official
              tabular code)
  official    N(0, 0.02) weights, zero biases, the last layer Xavier uniform (the official conv
              code's scheme, as the estimator's conv nets use)
  orthogonal  orthogonal weights with gain sqrt(2 / (1 + 0.2^2)) (LeakyReLU), zero biases
Does the starting point change which partition G settles on?
"""
import math
from torch import nn
import skclustergan._estimator as est
from skclustergan._networks import build_mlp_networks
from harness import command_line, fit_and_report

ds, seed, max_iter, init = command_line(str)


def reinit(net):
    layers = [m for m in net.modules() if isinstance(m, nn.Linear)]
    for layer in layers:
        nn.init.zeros_(layer.bias)
        if init == "glorot":
            nn.init.xavier_uniform_(layer.weight)
        elif init == "official":
            nn.init.normal_(layer.weight, 0.0, 0.02)
        elif init == "orthogonal":
            nn.init.orthogonal_(layer.weight, gain=math.sqrt(2 / (1 + 0.2 ** 2)))
        else:
            raise ValueError(init)
    if init == "official":
        nn.init.xavier_uniform_(layers[-1].weight)


def build(*args, **kwargs):
    nets = build_mlp_networks(*args, **kwargs)
    for net in nets:
        reinit(net)  # inside the estimator's seeded fork of torch's global RNG
    return nets


est.build_mlp_networks = build
fit_and_report(ds, seed, max_iter, f"init-{init}", {"init": init})
