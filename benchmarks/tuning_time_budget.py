#!/usr/bin/env python
"""Accuracy against CPU time of one ClusterGAN fit: the tool behind the tuning rounds.

One fit per seed, one thread; every 50 iterations the script checks the process CPU
time spent training (evaluation excluded) and, at each checkpoint (10, 15, 20, 30,
45, 60, 90, 120, ... s up to ``--cap``), records the Hungarian accuracy of the
encoder's argmax read-out on the training data. Unlike ``speed.py``'s time to
quality, the fit is never restarted, so the minibatch stream is that of a plain
``fit``. With ``--max-iter N`` the fit runs exactly N iterations (so that a
``learning_rate_schedule`` spans them) and the record adds its final accuracy
and CPU time. Prints one JSON line per seed.

Experimental variants that the estimator does not offer are available for
comparison: ``--critic-layer-norm`` and ``--encoder-layer-norm`` insert a
LayerNorm after each hidden linear layer of the fully connected critic / encoder
(Gulrajani et al.'s suggested replacement for BatchNorm in a WGAN-GP critic);
``--generator-no-batch-norm`` drops the BatchNorm layers of the fully connected
generator.

Examples::

    python benchmarks/tuning_time_budget.py --dataset digits --seeds 0 1 2 --cap 60
    python benchmarks/tuning_time_budget.py --dataset digits --params '{"n_critic": 1}'
    python benchmarks/tuning_time_budget.py --dataset synthetic --cap 30 --critic-layer-norm \\
        --params '{"latent_dim": 5}'
    python benchmarks/tuning_time_budget.py --dataset pendigits --data-dir ../shared/data \\
        --cap 120 --params '{"latent_dim": 5}'
    python benchmarks/tuning_time_budget.py --dataset digits --max-iter 20000 --cap 10 \\
        --params '{"learning_rate_schedule": "linear"}'
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import cli_types  # noqa: E402

import skclustergan._estimator as estimator_module  # noqa: E402
import skclustergan._training as training_module  # noqa: E402
from skclustergan import ClusterGAN  # noqa: E402
from skclustergan.metrics import cluster_accuracy  # noqa: E402

CHECKPOINTS = (10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 450, 600)


class _Done(Exception):
    pass


def load(dataset: str, data_dir: str | None):
    if dataset == "digits":
        from sklearn.datasets import load_digits

        return load_digits(return_X_y=True)
    if dataset == "synthetic":
        from skclustergan.datasets import make_linear_mixture

        return make_linear_mixture(random_state=0)
    from skclustergan.datasets import load_pendigits

    if data_dir is None:
        raise SystemExit("--data-dir is required for pendigits")
    return load_pendigits(data_dir)


def _with_layer_norm(net: nn.Sequential) -> nn.Sequential:
    layers = []
    for layer in net:
        layers.append(layer)
        if isinstance(layer, nn.Linear) and layer is not net[-1]:
            layers.append(nn.LayerNorm(layer.out_features))
    return nn.Sequential(*layers)


def _without_batch_norm(net: nn.Sequential) -> nn.Sequential:
    return nn.Sequential(*(layer for layer in net if not isinstance(layer, nn.BatchNorm1d)))


@contextlib.contextmanager
def patched_networks(critic_ln: bool, encoder_ln: bool, generator_bn: bool = True):
    """Build the fully connected nets with LayerNorm (and G without BatchNorm) where
    asked, inside the block."""
    original = estimator_module.build_mlp_networks

    def build(*args, **kwargs):
        g, d, e = original(*args, **kwargs)
        g = g if generator_bn else _without_batch_norm(g)
        return g, _with_layer_norm(d) if critic_ln else d, _with_layer_norm(e) if encoder_ln else e

    estimator_module.build_mlp_networks = build
    try:
        yield
    finally:
        estimator_module.build_mlp_networks = original


def run(seed: int, X, y, params: dict, cap: float, max_iter: int | None = None):
    """``(checkpoints, final)``: accuracy at CPU-time checkpoints; with ``max_iter``,
    also ``final``, the fit of ``max_iter`` iterations (its schedule spans them)."""
    checkpoints = [c for c in CHECKPOINTS if c <= cap] or [cap]
    state = {"t0": None, "eval": 0.0, "next": 0, "it": 0, "rows": None}
    results = []
    original = training_module.Trainer.train_step

    def train_step(self, data, out):
        if state["t0"] is None:
            state["t0"] = time.process_time()
            state["rows"] = data.batch(torch.arange(data.n_samples))
        original(self, data, out)
        state["it"] += 1
        if state["it"] % 50 or state["next"] == len(checkpoints):
            return
        if time.process_time() - state["t0"] - state["eval"] < checkpoints[state["next"]]:
            return
        start = time.process_time()
        self.encoder.eval()
        with torch.no_grad():
            labels = self.encoder(state["rows"])[1].argmax(1).cpu().numpy()
        self.encoder.train()
        results.append((checkpoints[state["next"]], state["it"], cluster_accuracy(y, labels)))
        state["eval"] += time.process_time() - start
        state["next"] += 1
        if state["next"] == len(checkpoints) and max_iter is None:
            raise _Done

    training_module.Trainer.train_step = train_step
    final = None
    try:
        params = {"device": "cpu", **params}  # CPU seconds are the measure
        model = ClusterGAN(random_state=seed, max_iter=max_iter or 2_000_000, **params).fit(X)
        cpu_s = time.process_time() - state["t0"] - state["eval"]
        final = {"iterations": model.n_iter_, "cpu_s": round(cpu_s, 1),
                 "acc": round(cluster_accuracy(y, model.labels_), 4)}  # fmt: skip
    except _Done:
        pass
    finally:
        training_module.Trainer.train_step = original
    return results, final


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["digits", "synthetic", "pendigits"], default="digits")
    parser.add_argument("--data-dir")
    parser.add_argument("--seeds", type=cli_types.seed, nargs="+", default=[0, 1, 2])
    parser.add_argument("--cap", type=cli_types.positive_float, default=60.0,
                        help="CPU seconds of training")
    parser.add_argument(
        "--max-iter", type=cli_types.positive_int, default=None,
        help="fit this many iterations and report the final accuracy (a learning rate "
             "schedule then spans them); checkpoints beyond --cap are not taken",
    )
    parser.add_argument("--params", default="{}", help="ClusterGAN parameters as JSON")
    parser.add_argument("--critic-layer-norm", action="store_true")
    parser.add_argument("--encoder-layer-norm", action="store_true")
    parser.add_argument(
        "--generator-no-batch-norm", action="store_true",
        help="drop the BatchNorm layers of the fully connected generator",
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    try:
        X, y = load(args.dataset, args.data_dir)
    except (FileNotFoundError, ValueError) as exc:  # a missing or corrupt data file
        parser.error(f"{args.dataset}: {exc}")
    try:
        extra = json.loads(args.params)
    except json.JSONDecodeError as exc:
        parser.error(
            f"--params must be a JSON object of ClusterGAN parameters, got {args.params!r}: {exc}"
        )
    if not isinstance(extra, dict):
        parser.error(
            f"--params must be a JSON object of ClusterGAN parameters, got {args.params!r}"
        )
    params = {"n_clusters": 10, **extra}
    for seed in args.seeds:
        with patched_networks(
            args.critic_layer_norm, args.encoder_layer_norm, not args.generator_no_batch_norm
        ):
            res, final = run(seed, X, y, params, args.cap, args.max_iter)
        record = {
            "dataset": args.dataset,
            "seed": seed,
            "params": params,
            "critic_layer_norm": args.critic_layer_norm,
            "encoder_layer_norm": args.encoder_layer_norm,
            "checkpoints": [{"cpu_s": c, "iterations": i, "acc": round(a, 3)} for c, i, a in res],
        }
        if final is not None:
            record["final"] = final
        print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
