"""probe11.py DATASET SEED MAX_ITER TAG CRITIC_HIDDEN -> one JSON line.

The critic D gets hidden layers CRITIC_HIDDEN (JSON list, e.g. [512, 512]) while G and E keep
the default (256, 256): the counterpart of the twenty-seventh session's encoder-only widths (probe7.py).
"""
import json
from torch import nn
import skclustergan._estimator as est
from skclustergan._networks import _mlp, build_mlp_networks
from harness import command_line, fit_and_report

ds, seed, max_iter, tag, d_hidden = command_line(str, json.loads)


def build(n_features, latent_dim, n_clusters, hidden_layer_sizes=(256, 256), output_activation="sigmoid"):
    g, d, e = build_mlp_networks(n_features, latent_dim, n_clusters, hidden_layer_sizes, output_activation)
    d = nn.Sequential(*_mlp([n_features, *d_hidden], batch_norm=False, slope=0.2),
                      nn.Linear(d_hidden[-1], 1))
    return g, d, e


est.build_mlp_networks = build
fit_and_report(ds, seed, max_iter, tag, {"critic_hidden": d_hidden})
