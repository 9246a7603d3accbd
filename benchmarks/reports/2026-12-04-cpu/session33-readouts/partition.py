"""Is a saved fit's loss in the generator's partition or in the encoder's read-out?

For one model saved by ``run_benchmarks.py --save-models``:

1. *G's partition*: ``--per-cluster`` samples drawn from each cluster code are labelled
   by an oracle (a 3-NN classifier on the labelled real data -- diagnostics only, the
   labels never reach a read-out), and the codes are matched to the digits with the
   Hungarian method. Its accuracy is the ceiling of any read-out that maps real images
   onto G's codes; per code, the oracle's majority digit and its share.
2. *E on real data*: the argmax read-out (the estimator's ``predict``), its accuracy and
   the confusion matrix in Hungarian order.
3. *Label-free repairs of the read-out* that use only X and the fitted model:
   - ``bank``: the vote of the 10 nearest of ``--bank`` generated samples per code;
   - ``seedprop q``: keep E's label on the fraction ``q`` of rows it is most confident
     about within each cluster, give every other row the vote of its 10 nearest
     confident rows (in the input space).

Usage (from the repository root)::

    python benchmarks/reports/2026-12-04-cpu/session33-readouts/partition.py \\
        --model .../models/digits-seed0.pt --dataset digits --threads 2
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
from sklearn.neighbors import KNeighborsClassifier

from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset
from skclustergan.metrics import clustering_report


def hungarian_order(y, labels, k):
    counts = confusion_matrix(y, labels, labels=range(k))
    rows, cols = linear_sum_assignment(-counts)
    order = np.empty(k, dtype=int)
    order[rows] = cols
    return order


def confusion_lines(y, labels, k):
    order = hungarian_order(y, labels, k)
    counts = confusion_matrix(y, labels, labels=range(k))[:, order]
    lines = ["digit | " + " ".join(f"{'c' + str(order[j]):>6}" for j in range(k)) + " | recall"]
    for c in range(k):
        lines.append(f"{c:>5} | " + " ".join(f"{v:>6}" for v in counts[c])
                     + f" | {counts[c, c] / counts[c].sum():.3f}")
    return lines


def knn_vote(reference, ref_labels, X, k_vote=10, block=4096):
    """Majority label of the ``k_vote`` nearest reference rows (squared L2)."""
    R = torch.as_tensor(reference, dtype=torch.float32)
    r2 = (R * R).sum(1)
    ref_labels = torch.as_tensor(ref_labels)
    out = []
    for start in range(0, len(X), block):
        x = torch.as_tensor(X[start:start + block], dtype=torch.float32)
        idx = (r2[None, :] - 2 * x @ R.T).topk(k_vote, dim=1, largest=False).indices
        out.append(torch.mode(ref_labels[idx], dim=1).values.numpy())
    return np.concatenate(out)


def seed_propagation(X, labels, confidence, q, k):
    keep = np.zeros(len(X), dtype=bool)
    for c in range(k):
        rows = np.flatnonzero(labels == c)
        if len(rows):
            n = max(1, round(q * len(rows)))
            keep[rows[np.argsort(-confidence[rows])[:n]]] = True
    out = labels.copy()
    out[~keep] = knn_vote(X[keep], labels[keep], X[~keep])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--per-cluster", type=int, default=500)
    parser.add_argument("--bank", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None, help="JSON summary")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()

    model = ClusterGAN.load(args.model)
    X, y = load_dataset(args.dataset, args.data_dir, random_state=0)
    k = model.n_clusters
    summary: dict = {"model": str(args.model), "dataset": args.dataset, "n_samples": len(X)}

    oracle = KNeighborsClassifier(n_neighbors=3, algorithm="brute").fit(X, y)
    gen, codes = model.sample(args.per_cluster * k, cluster=np.repeat(np.arange(k),
                              args.per_cluster), random_state=1)
    digit = oracle.predict(gen)
    summary["G_partition"] = clustering_report(digit, codes)
    shares = []
    for c in range(k):
        counts = np.bincount(digit[codes == c], minlength=k)
        shares.append((int(counts.argmax()), round(counts.max() / counts.sum(), 3)))
    summary["G_code_majority"] = shares
    summary["E_reads_G"] = float((model.predict(gen) == codes).mean())
    print(f"G's partition (oracle 3-NN on the real labels): ACC "
          f"{summary['G_partition']['accuracy']:.4f}; per code (digit, share) {shares}")
    print(f"E reads G's samples back: {summary['E_reads_G']:.4f}")

    proba = model.predict_proba(X)
    labels = proba.argmax(1)
    summary["argmax"] = clustering_report(y, labels)
    print("argmax:", json.dumps(summary["argmax"]))
    print("\n".join(confusion_lines(y, labels, k)))

    bank, bank_codes = model.sample(args.bank * k, cluster=np.repeat(np.arange(k), args.bank),
                                    random_state=2)
    vote = knn_vote(bank, bank_codes, X)
    summary["bank_vote10"] = clustering_report(y, vote)
    print(f"bank vote: {summary['bank_vote10']['accuracy']:.4f}")
    for q in (0.25, 0.5, 0.75):
        prop = seed_propagation(X, labels, proba.max(1), q, k)
        summary[f"seedprop_{q}"] = clustering_report(y, prop)
        print(f"seedprop q={q}: {summary[f'seedprop_{q}']['accuracy']:.4f} "
              f"(changed {(prop != labels).mean():.4f} of rows)")
    summary["seconds"] = time.perf_counter() - t0
    if args.out:
        args.out.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
