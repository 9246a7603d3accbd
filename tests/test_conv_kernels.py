"""The CPU kernel choices of the conv nets change the float rounding, never the values.

One-output-channel transposed convolutions run on torch's native kernel
(``skclustergan._conv_kernels``), and the package's conv nets live in
``channels_last`` on the CPU (``skclustergan._networks.to_device``).
"""

import copy

import numpy as np
import pytest
import torch
from _rows import TensorRows
from torch import nn
from torch.nn import functional as F

from skclustergan import ClusterGAN
from skclustergan._conv_kernels import ConvTranspose2d, conv_transpose2d
from skclustergan._networks import CONV_WIDTHS, Encoder, build_conv_networks, to_device
from skclustergan._training import Trainer, TrainingConfig

CPU = torch.device("cpu")
NATIVE = "SlowConvTranspose2DBackward0"


def _operands(c_in, c_out, dtype, seed=0, size=7):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(3, c_in, size, size, generator=gen, dtype=dtype, requires_grad=True)
    w = torch.randn(c_in, c_out, 4, 4, generator=gen, dtype=dtype, requires_grad=True)
    b = torch.randn(c_out, generator=gen, dtype=dtype, requires_grad=True)
    return x, w, b


@pytest.mark.parametrize("output_padding", [0, 1])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_one_channel_transposed_conv_takes_the_native_kernel_with_equal_values_and_gradients(
    dtype, output_padding
):
    x, w, b = _operands(5, 1, dtype)
    args = {"stride": 2, "padding": 1, "output_padding": output_padding}
    ours = conv_transpose2d(x, w, b, **args)
    reference = F.conv_transpose2d(x, w, b, **args)
    assert ours.grad_fn.name() == NATIVE
    assert ours.shape == reference.shape == (3, 1, 14 + output_padding, 14 + output_padding)
    torch.testing.assert_close(ours, reference)
    g = torch.randn_like(ours)
    for a, r in zip(
        torch.autograd.grad(ours, (x, w, b), g), torch.autograd.grad(reference, (x, w, b), g)
    ):
        torch.testing.assert_close(a, r)


def test_native_transposed_conv_has_correct_first_and_second_derivatives():
    x, w, b = _operands(2, 1, torch.float64, size=4)

    def fn(x, w, b):
        return conv_transpose2d(x, w, b, stride=2, padding=1)

    assert torch.autograd.gradcheck(fn, (x, w, b))
    assert torch.autograd.gradgradcheck(fn, (x, w, b))


def test_other_transposed_convs_keep_torchs_default_kernel():
    x, w, b = _operands(4, 2, torch.float32)
    assert conv_transpose2d(x, w, b, stride=2, padding=1).grad_fn.name() != NATIVE
    x1, w1, b1 = _operands(4, 1, torch.float32)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = conv_transpose2d(x1, w1, b1, stride=2, padding=1)
    assert out.dtype == torch.bfloat16 and out.grad_fn.name() != NATIVE
    unbatched = conv_transpose2d(x1[0], w1, b1, stride=2, padding=1)
    torch.testing.assert_close(unbatched, F.conv_transpose2d(x1[0], w1, b1, stride=2, padding=1))


def test_conv_transpose2d_module_is_nn_conv_transpose2d_with_the_same_state_and_output_size():
    torch.manual_seed(0)
    ours, plain = (
        ConvTranspose2d(6, 1, 4, stride=2, padding=1),
        nn.ConvTranspose2d(6, 1, 4, stride=2, padding=1),
    )
    plain.load_state_dict(ours.state_dict())
    assert isinstance(ours, nn.ConvTranspose2d)
    x = torch.randn(2, 6, 5, 5)
    for size in (None, [11, 11]):
        out = ours(x, output_size=size)
        torch.testing.assert_close(out, plain(x, output_size=size))
    assert out.shape[-2:] == (11, 11)


@pytest.mark.parametrize("architecture", ["conv", "conv-small"])
def test_conv_nets_on_the_cpu_are_channels_last_and_compute_the_same_outputs(architecture):
    torch.manual_seed(0)
    nets = build_conv_networks((1, 28, 28), 5, 3, widths=CONV_WIDTHS[architecture])
    nets = (nets[0], nets[1], Encoder(nets[2], 5))
    moved = [to_device(copy.deepcopy(net), CPU).eval() for net in nets]
    for net in moved:
        weights = [p for p in net.parameters() if p.dim() == 4]
        assert weights and all(p.is_contiguous(memory_format=torch.channels_last) for p in weights)
        assert not all(p.is_contiguous() for p in weights)
    z, x = torch.randn(4, 8), torch.rand(4, 784)
    with torch.no_grad():
        torch.testing.assert_close(moved[0](z), nets[0].eval()(z), rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(moved[1](x), nets[1].eval()(x), rtol=1e-5, atol=1e-6)
        for a, b in zip(moved[2](x), nets[2].eval()(x)):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_to_device_leaves_other_nets_alone_and_restores_the_default_layout_elsewhere():
    user_net = nn.Sequential(nn.Conv2d(1, 2, 3))
    to_device(user_net, CPU)
    assert user_net[0].weight.is_contiguous()
    _, critic, _ = build_conv_networks((1, 8, 8), 2, 2, widths=CONV_WIDTHS["conv-small"])
    to_device(critic, CPU)
    assert not critic.net[2].weight.is_contiguous()
    meta = to_device(critic, torch.device("meta"))
    assert meta.net[2].weight.is_contiguous()


def test_fitted_and_loaded_conv_estimators_hold_channels_last_weights(tmp_path):
    X = np.random.RandomState(0).rand(40, 64).astype(np.float32)
    model = ClusterGAN(
        n_clusters=2, latent_dim=2, image_shape=(8, 8), architecture="conv-small",
        max_iter=3, batch_size=8, random_state=0,
    ).fit(X)  # fmt: skip
    path = tmp_path / "model.pt"
    model.save(path)
    loaded = ClusterGAN.load(path)
    for fitted in (model, loaded):
        weight = fitted.encoder_.body.net[2].weight
        assert (
            weight.is_contiguous(memory_format=torch.channels_last) and not weight.is_contiguous()
        )
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_warm_start_from_an_optimizer_state_in_the_default_layout_continues_the_same():
    """A state saved by an earlier version or on another device holds NCHW moments."""
    X = np.random.RandomState(1).rand(48, 64).astype(np.float32)
    model = ClusterGAN(
        n_clusters=2, latent_dim=2, image_shape=(8, 8), architecture="conv-small",
        max_iter=3, batch_size=8, random_state=0, warm_start=True,
    ).fit(X)  # fmt: skip
    other = copy.deepcopy(model)
    for state_dict in other._optimizer_state.values():
        for state in state_dict["state"].values():
            for key, value in state.items():
                if value.dim() == 4:
                    state[key] = value.contiguous()
    assert not all(
        v.is_contiguous() for s in model._optimizer_state["discriminator"]["state"].values()
        for v in s.values()
    )  # fmt: skip
    model.set_params(max_iter=2).fit(X)
    other.set_params(max_iter=2).fit(X)
    for a, b in zip(model.encoder_.parameters(), other.encoder_.parameters()):
        torch.testing.assert_close(a, b)


class _Float64Trainer(Trainer):
    """The autograd trainer with its latent draws in float64 (they come in float32)."""

    def sample_latent(self, n_samples):
        z_n, labels, z = super().sample_latent(n_samples)
        return z_n.double(), labels, z.double()


def test_channels_last_training_follows_the_default_layout_to_rounding_in_float64():
    """The same updates, not merely the same outputs: ten full iterations (critic with the
    closed-form penalty, G and E, fused Adam) of the conv nets in both layouts agree to
    float64 rounding, so the float32 fits of the two layouts differ by rounding alone."""
    torch.manual_seed(0)
    generator, critic, encoder = build_conv_networks((1, 8, 8), 3, 4, widths=(8, 16, 32))
    nets = [net.double() for net in (generator, critic, Encoder(encoder, 3))]
    config = TrainingConfig(
        latent_dim=3, n_clusters=4, sigma=0.1, beta_n=10.0, beta_c=10.0,
        adversarial_loss="wasserstein-gp", gp_weight=10.0, n_critic=1, batch_size=16,
        learning_rate=2e-3, adam_betas=(0.0, 0.9),
    )  # fmt: skip
    data = TensorRows(
        torch.rand(40, 64, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    )
    runs = []
    for move in (lambda net: net.to(CPU), lambda net: to_device(net, CPU)):
        copies = [move(copy.deepcopy(net)) for net in nets]
        trainer = _Float64Trainer(*copies, config, torch.Generator().manual_seed(2), CPU)
        history = torch.zeros(10, 4, dtype=torch.float64)
        for out in history:
            trainer.train_step(data, out)
        runs.append((copies, history))
    (default, default_history), (last, last_history) = runs
    assert last[1].net[2].weight.is_contiguous(memory_format=torch.channels_last)
    assert not last[1].net[2].weight.is_contiguous()
    torch.testing.assert_close(last_history, default_history, rtol=1e-9, atol=1e-12)
    for a, b in zip(default, last):
        for (name, p), q in zip(a.named_parameters(), b.parameters()):
            torch.testing.assert_close(q, p, rtol=1e-7, atol=1e-9, msg=name)
