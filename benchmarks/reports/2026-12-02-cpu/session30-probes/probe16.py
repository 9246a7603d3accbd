"""probe16.py DATASET SEED MAX_ITER WIDTH -> one JSON line.

G alone gets hidden layers (WIDTH, WIDTH); D and E keep (256, 256). A more expressive G could
fold each cluster's Gaussian so that a class written in two styles fits one cluster with
little mass between the styles (the continuity in z_n that the twenty-sixth session's
confusions point at: 1s and 8s shared between clusters). Same layout as the estimator's, so it
trains with the written-out steps.
"""
import skclustergan._estimator as est
from skclustergan._networks import build_mlp_networks
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "session28-probes"))
from harness import command_line, fit_and_report  # noqa: E402

ds, seed, max_iter, width = command_line(int)


def build(n_features, latent_dim, n_clusters, hidden_layer_sizes, *args):
    g = build_mlp_networks(n_features, latent_dim, n_clusters, (width, width), *args)[0]
    _, d, e = build_mlp_networks(n_features, latent_dim, n_clusters, hidden_layer_sizes, *args)
    return g, d, e


est.build_mlp_networks = build
fit_and_report(ds, seed, max_iter, f"generator-{width}-{width}")
