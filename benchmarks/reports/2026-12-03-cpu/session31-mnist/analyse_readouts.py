"""Where a saved MNIST fit loses accuracy, and what other read-outs of the same fit give.

For one model saved by ``run_benchmarks.py --save-models``:

1. the confusion matrix of the encoder's argmax against the digits (columns in the
   Hungarian order, so the diagonal is what counts), per-digit recall;
2. the encoder on the generator's own samples (does E read G back?);
3. a nearest-generated-sample read-out: the cluster of the closest of a bank of
   ``--bank`` generated samples per cluster (squared L2 in [0, 1] pixels), and the
   vote of the 10 closest -- decoding by search over prior draws instead of by
   gradient steps;
4. back-propagation decoding (``ClusterGAN.decode``, its defaults) on a
   stratified subset of ``--decode-rows`` images, beside the argmax on the same rows.

Usage (from the repository root)::

    python benchmarks/reports/2026-12-03-cpu/session31-mnist/analyse_readouts.py \\
        --model benchmarks/reports/2026-12-03-cpu/session31-mnist/seed1/models/mnist-seed1.pt \\
        --data-dir ../shared/data --threads 2
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import confusion_matrix

from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy, clustering_report


def hungarian_order(y: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Cluster index matched to each class (class c <- cluster order[c])."""
    counts = confusion_matrix(y, labels, labels=range(k))
    rows, cols = linear_sum_assignment(-counts)
    order = np.empty(k, dtype=int)
    order[rows] = cols
    return order


def confusion_lines(y: np.ndarray, labels: np.ndarray, k: int) -> list[str]:
    order = hungarian_order(y, labels, k)
    counts = confusion_matrix(y, labels, labels=range(k))[:, order]
    lines = ["digit | " + " ".join(f"{'c' + str(order[j]):>6}" for j in range(k)) + " | recall"]
    for c in range(k):
        recall = counts[c, c] / counts[c].sum()
        lines.append(f"{c:>5} | " + " ".join(f"{v:>6}" for v in counts[c]) + f" | {recall:.3f}")
    return lines


def bank_readout(model: ClusterGAN, X: np.ndarray, per_cluster: int, seed: int,
                 k_vote: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Nearest and 10-NN-vote cluster among ``per_cluster`` generated samples per cluster."""
    k = model.n_clusters
    clusters = np.repeat(np.arange(k), per_cluster)
    bank, bank_labels = model.sample(len(clusters), cluster=clusters, random_state=seed)
    B = torch.as_tensor(bank, dtype=torch.float32)
    b2 = (B * B).sum(1)
    bank_labels = torch.as_tensor(bank_labels)
    nearest, vote = [], []
    for start in range(0, len(X), 4096):
        x = torch.as_tensor(X[start:start + 4096], dtype=torch.float32)
        d = b2[None, :] - 2 * x @ B.T  # + |x|^2, the same for every bank row
        idx = d.topk(k_vote, dim=1, largest=False).indices
        near = bank_labels[idx]
        nearest.append(near[:, 0].numpy())
        vote.append(torch.mode(near, dim=1).values.numpy())
    return np.concatenate(nearest), np.concatenate(vote)


def stratified_rows(y: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    per = n // len(classes)
    return np.sort(np.concatenate(
        [rng.choice(np.flatnonzero(y == c), per, replace=False) for c in classes]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--bank", type=int, default=2000, help="generated samples per cluster")
    parser.add_argument("--decode-rows", type=int, default=1000)
    parser.add_argument("--decode-steps", type=int, default=500)
    parser.add_argument("--subsample", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None, help="JSON summary")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    model = ClusterGAN.load(args.model)
    X, y = load_dataset(args.dataset, args.data_dir, subsample=args.subsample, random_state=0)
    k = model.n_clusters
    summary: dict = {"model": str(args.model), "n_samples": len(X)}

    labels = model.predict(X)
    summary["argmax"] = clustering_report(y, labels)
    print("argmax:", json.dumps(summary["argmax"]))
    print("\n".join(confusion_lines(y, labels, k)))
    print("cluster sizes:", np.bincount(labels, minlength=k).tolist())

    gen, gen_labels = model.sample(500 * k, cluster=np.repeat(np.arange(k), 500), random_state=1)
    own = model.predict(gen) == gen_labels
    summary["encoder_on_generated"] = float(own.mean())
    print(f"E reads G's samples back: {own.mean():.4f} "
          f"(per cluster {[round(float(own[gen_labels == c].mean()), 3) for c in range(k)]})")

    t = time.perf_counter()
    nearest, vote = bank_readout(model, X, args.bank, seed=2)
    summary["bank_seconds"] = time.perf_counter() - t
    summary["bank_nearest"] = clustering_report(y, nearest)
    summary["bank_vote10"] = clustering_report(y, vote)
    print(f"bank of {args.bank}/cluster ({summary['bank_seconds']:.1f} s): nearest "
          f"{summary['bank_nearest']['accuracy']:.4f}, 10-NN vote "
          f"{summary['bank_vote10']['accuracy']:.4f}; agrees with argmax "
          f"{(vote == labels).mean():.4f}")
    print("\n".join(confusion_lines(y, vote, k)))

    if args.decode_rows:
        rows = stratified_rows(y, args.decode_rows, seed=3)
        t = time.perf_counter()
        _, decoded, _ = model.decode(X[rows], n_steps=args.decode_steps)
        summary["decode_seconds"] = time.perf_counter() - t
        # each read-out with its own Hungarian matching on the subset
        summary["decode_subset"] = {
            "rows": len(rows), "steps": args.decode_steps,
            "decode_accuracy": cluster_accuracy(y[rows], decoded),
            "argmax_accuracy": cluster_accuracy(y[rows], labels[rows]),
            "vote_accuracy": cluster_accuracy(y[rows], vote[rows]),
            "agree_with_argmax": float((decoded == labels[rows]).mean()),
        }
        print(f"decode on {len(rows)} rows ({summary['decode_seconds']:.1f} s):",
              json.dumps(summary["decode_subset"]))
    if args.out:
        args.out.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
