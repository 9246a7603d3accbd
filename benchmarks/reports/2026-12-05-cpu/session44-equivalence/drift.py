"""How fast two float32 fits apart only in rounding drift apart (conv-small, 2 threads).

The same nets, data and seeds as equiv.py in float32, NCHW against channels_last;
prints ||theta_A - theta_B|| / ||theta_A|| over all parameters after some iterations.
python drift.py N [learning_rate]
"""

import copy
import sys

import torch
from equiv import Rows

from skclustergan._networks import CONV_WIDTHS, Encoder, build_conv_networks, to_device
from skclustergan._training import Trainer, TrainingConfig

CPU = torch.device("cpu")


def distance(nets_a, nets_b) -> float:
    a = torch.cat([p.detach().double().flatten() for n in nets_a for p in n.parameters()])
    b = torch.cat([p.detach().double().flatten() for n in nets_b for p in n.parameters()])
    return ((a - b).norm() / a.norm()).item()


def main(n_iter: int, lr: float) -> None:
    torch.set_num_threads(2)
    torch.manual_seed(0)
    g, d, e = build_conv_networks((1, 28, 28), 30, 10, widths=CONV_WIDTHS["conv-small"])
    nets = [g, d, Encoder(e, 30, 10)]
    config = TrainingConfig(
        latent_dim=30, n_clusters=10, sigma=0.1, beta_n=10.0, beta_c=10.0,
        adversarial_loss="wasserstein-gp", gp_weight=10.0, n_critic=1, batch_size=64,
        learning_rate=lr, adam_betas=(0.0, 0.9),
    )  # fmt: skip
    data = Rows(torch.rand(512, 784, generator=torch.Generator().manual_seed(1)))
    pairs = []
    for move in (lambda net: net.to(CPU), lambda net: to_device(net, CPU)):
        copies = [move(copy.deepcopy(net)) for net in nets]
        trainer = Trainer(*copies, config, torch.Generator().manual_seed(5), CPU)
        pairs.append((copies, trainer, torch.zeros(4)))
    for it in range(1, n_iter + 1):
        for _, trainer, out in pairs:
            trainer.train_step(data, out)
        if it in (1, 2, 5, 10, 20, 50, 100, 200, 500):
            print(
                f"iteration {it}: relative distance {distance(pairs[0][0], pairs[1][0]):.2e}",
                flush=True,
            )


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 2e-3)
