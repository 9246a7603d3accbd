"""Do the conv nets train the same in channels_last as in the default (NCHW) layout?

conv-small nets for 28 x 28 images, autograd Trainer (closed-form penalty, fused Adam),
512 random rows, the same seeds for both layouts, in float64 where rounding cannot
hide a wrong update: prints the largest parameter difference per tensor after
N iterations.  python equiv.py N [learning_rate]
"""

import copy
import sys

import torch

from skclustergan._networks import CONV_WIDTHS, Encoder, build_conv_networks, to_device
from skclustergan._training import Trainer, TrainingConfig

CPU = torch.device("cpu")


class Float64Trainer(Trainer):
    def sample_latent(self, n_samples):
        z_n, labels, z = super().sample_latent(n_samples)
        return z_n.double(), labels, z.double()


class Rows:
    def __init__(self, X):
        self.X, self.n_samples = X, X.shape[0]

    def batch(self, idx):
        return self.X.index_select(0, idx)


def main(n_iter: int, lr: float) -> None:
    torch.set_num_threads(2)
    torch.manual_seed(0)
    g, d, e = build_conv_networks((1, 28, 28), 30, 10, widths=CONV_WIDTHS["conv-small"])
    nets = [net.double() for net in (g, d, Encoder(e, 30, 10))]
    config = TrainingConfig(
        latent_dim=30, n_clusters=10, sigma=0.1, beta_n=10.0, beta_c=10.0,
        adversarial_loss="wasserstein-gp", gp_weight=10.0, n_critic=1, batch_size=64,
        learning_rate=lr, adam_betas=(0.0, 0.9),
    )  # fmt: skip
    data = Rows(
        torch.rand(512, 784, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    )
    runs = []
    for move in (lambda net: net.to(CPU), lambda net: to_device(net, CPU)):
        copies = [move(copy.deepcopy(net)) for net in nets]
        trainer = Float64Trainer(*copies, config, torch.Generator().manual_seed(5), CPU)
        out = torch.zeros(4, dtype=torch.float64)
        for _ in range(n_iter):
            trainer.train_step(data, out)
        runs.append((copies, out.tolist()))
    (a, losses_a), (b, losses_b) = runs
    print("channels_last:", b[1].net[2].weight.is_contiguous(memory_format=torch.channels_last))
    print(f"losses after {n_iter} iterations, NCHW:          ", losses_a)
    print(f"losses after {n_iter} iterations, channels_last: ", losses_b)
    for na, nb, name in zip(a, b, "GDE"):
        sa, sb = na.state_dict(), nb.state_dict()
        for key in sa:
            if sa[key].dtype.is_floating_point:
                diff = (sa[key] - sb[key]).abs().max().item()
                print(
                    f"{name}.{key}: max |diff| {diff:.3g} (max |value| {sa[key].abs().max().item():.3g})"
                )


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 2e-3)
