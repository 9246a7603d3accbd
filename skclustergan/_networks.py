"""Generator, discriminator and encoder networks of ClusterGAN.

Two families, as in the paper: fully connected nets for tabular data (the
Pendigits / 10x_73k models) and the convolutional nets of the MNIST model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from ._conv_kernels import ConvTranspose2d


def _mlp(sizes: Sequence[int], *, batch_norm: bool, slope: float) -> list[nn.Module]:
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append(nn.Linear(n_in, n_out))
        if batch_norm:
            layers.append(nn.BatchNorm1d(n_out))
        layers.append(nn.LeakyReLU(slope))
    return layers


def _output_activation(name: str) -> nn.Module:
    return nn.Sigmoid() if name == "sigmoid" else nn.Identity()


class Encoder(nn.Module):
    """Wrap a body that outputs ``latent_dim + n_clusters`` numbers.

    ``forward`` returns ``(z_n, logits)``: the continuous code and the
    unnormalised cluster scores.
    """

    def __init__(self, body: nn.Module, latent_dim: int, n_clusters: int | None = None) -> None:
        super().__init__()
        self.body = body
        self.latent_dim = latent_dim
        self.n_clusters = n_clusters

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.body(x)
        return out[:, : self.latent_dim], out[:, self.latent_dim :]


def build_mlp_networks(
    n_features: int,
    latent_dim: int,
    n_clusters: int,
    hidden_layer_sizes: Sequence[int] = (256, 256),
    output_activation: str = "sigmoid",
) -> tuple[nn.Module, nn.Module, nn.Module]:
    """Fully connected G, D and E (the paper's tabular model).

    E outputs ``latent_dim + n_clusters`` numbers (z_n, then the cluster logits);
    wrap it in :class:`Encoder` to split them.

    G has BatchNorm after each hidden layer; D and E have none (BatchNorm inside
    a WGAN-GP critic breaks the per-sample gradient penalty, and E is trained on
    generated samples but applied to real ones).
    """
    hidden = list(hidden_layer_sizes)
    z_dim = latent_dim + n_clusters
    generator = nn.Sequential(
        *_mlp([z_dim, *hidden], batch_norm=True, slope=0.2),
        nn.Linear(hidden[-1], n_features),
        _output_activation(output_activation),
    )
    discriminator = nn.Sequential(
        *_mlp([n_features, *hidden], batch_norm=False, slope=0.2), nn.Linear(hidden[-1], 1)
    )
    encoder = nn.Sequential(
        *_mlp([n_features, *hidden], batch_norm=False, slope=0.2), nn.Linear(hidden[-1], z_dim)
    )
    return generator, discriminator, encoder


#: Widths (first conv channels, second conv channels, fully connected units)
#: of the convolutional nets: the paper's, and a cheaper set for CPUs.
CONV_WIDTHS = {"conv": (64, 128, 1024), "conv-small": (32, 64, 256)}


class _ConvGenerator(nn.Module):
    """FC f-BN-ReLU, FC (H/4)(W/4)c2-BN-ReLU, deconv c1-BN-ReLU, deconv C, activation.

    ``widths = (c1, c2, f)``; the paper's are (64, 128, 1024).
    """

    def __init__(
        self,
        z_dim: int,
        image_shape: tuple[int, int, int],
        activation: str,
        widths: tuple[int, int, int] = CONV_WIDTHS["conv"],
    ) -> None:
        super().__init__()
        channels, height, width = image_shape
        c1, c2, units = widths
        self.image_shape = image_shape
        self.h0, self.w0 = math.ceil(height / 4), math.ceil(width / 4)
        self.fc = nn.Sequential(
            nn.Linear(z_dim, units),
            nn.BatchNorm1d(units),
            nn.ReLU(),
            nn.Linear(units, c2 * self.h0 * self.w0),
            nn.BatchNorm1d(c2 * self.h0 * self.w0),
            nn.ReLU(),
        )
        self.deconv = nn.Sequential(
            ConvTranspose2d(c2, c1, 4, stride=2, padding=1),
            nn.BatchNorm2d(c1),
            nn.ReLU(),
            ConvTranspose2d(c1, channels, 4, stride=2, padding=1),
            _output_activation(activation),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        _, height, width = self.image_shape
        h = self.fc(z).view(-1, self.deconv[0].in_channels, self.h0, self.w0)
        return self.deconv(h)[:, :, :height, :width].flatten(1)


class _ConvCritic(nn.Module):
    """conv 4x4/2 c1, LReLU, conv 4x4/2 c2, LReLU, FC f, LReLU, FC ``n_out``.

    ``widths = (c1, c2, f)``; the paper's are (64, 128, 1024).
    """

    def __init__(
        self,
        image_shape: tuple[int, int, int],
        n_out: int,
        widths: tuple[int, int, int] = CONV_WIDTHS["conv"],
    ) -> None:
        super().__init__()
        channels, height, width = image_shape
        c1, c2, units = widths
        self.image_shape = image_shape
        h2, w2 = height // 2 // 2, width // 2 // 2
        self.net = nn.Sequential(
            nn.Conv2d(channels, c1, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(c1, c2, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
            nn.Linear(c2 * h2 * w2, units),
            nn.LeakyReLU(0.2),
            nn.Linear(units, n_out),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.view(-1, *self.image_shape))


def build_conv_networks(
    image_shape: tuple[int, int, int],
    latent_dim: int,
    n_clusters: int,
    output_activation: str = "sigmoid",
    widths: tuple[int, int, int] = CONV_WIDTHS["conv"],
) -> tuple[nn.Module, nn.Module, nn.Module]:
    """Convolutional G, D and E of the paper's MNIST / Fashion-MNIST model.

    Inputs and outputs are flattened images of ``prod(image_shape)`` features.
    ``widths`` are the (first conv channels, second conv channels, fully
    connected units) of all three nets: ``CONV_WIDTHS["conv"]`` is the
    paper's (64, 128, 1024), ``CONV_WIDTHS["conv-small"]`` (32, 64, 256).
    """
    z_dim = latent_dim + n_clusters
    generator = _ConvGenerator(z_dim, image_shape, output_activation, widths)
    discriminator = _ConvCritic(image_shape, 1, widths)
    encoder = _ConvCritic(image_shape, z_dim, widths)
    for net in (generator, discriminator, encoder):
        _official_init(net)
    return generator, discriminator, encoder


def _official_init(net: nn.Module) -> None:
    """Weights N(0, 0.02) and zero biases; the last linear layer Xavier uniform."""
    layers = [m for m in net.modules() if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d))]
    for layer in layers:
        nn.init.normal_(layer.weight, 0.0, 0.02)
        nn.init.zeros_(layer.bias)
    if isinstance(layers[-1], nn.Linear):
        nn.init.xavier_uniform_(layers[-1].weight)


def _is_conv_net(net: nn.Module) -> bool:
    """Whether ``net`` is one of :func:`build_conv_networks`' nets (E wrapped or not)."""
    body = net.body if type(net) is Encoder else net
    return type(body) in (_ConvGenerator, _ConvCritic)


def to_device(net: nn.Module, device: torch.device) -> nn.Module:
    """``net.to(device)``; :func:`build_conv_networks`' nets in ``channels_last`` on the CPU.

    oneDNN's CPU convolutions work on channels-last (NHWC) data: with the default
    layout, torch converts the activations and results of most convolution passes
    to and from it. With the 4-D weights in ``channels_last`` the activations follow
    and the conversions go: on the project's AMD EPYC, two threads, a ``conv-small``
    training iteration ran 5-8% faster (the paper's nets 1-2%; benchmarks/README.md,
    forty-second session). Elsewhere, and for other networks, the default layout,
    which user-supplied networks may rely on (``view`` of a convolution's output).
    The layout changes no value, only the float rounding of the convolutions.
    """
    if not _is_conv_net(net):
        return net.to(device)
    layout = torch.channels_last if device.type == "cpu" else torch.contiguous_format
    return net.to(device, memory_format=layout)
