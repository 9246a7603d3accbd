"""The WGAN-GP penalty: the closed form for MLP critics equals autograd's double backward."""

import pytest
import torch
from torch import nn

from skclustergan._losses import (
    chain_input_gradient,
    critic_scores_with_penalty,
    piecewise_linear_chain,
)
from skclustergan._networks import CONV_WIDTHS, build_conv_networks, build_mlp_networks


def _autograd_penalty(critic, real, fake, seed):
    """The textbook penalty: autograd.grad with create_graph over the interpolates."""
    n = real.shape[0]
    scores = critic(torch.cat([real, fake]))
    eps = torch.rand(n, 1, generator=torch.Generator().manual_seed(seed), dtype=real.dtype)
    interp = torch.lerp(fake, real, eps).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(interp).sum(), interp, create_graph=True)
    return scores[:n], scores[n:], (grad.norm(2, dim=1) - 1.0).square().mean()


def _closed_form(critic) -> bool:
    return piecewise_linear_chain(critic) is not None


def _critic(activation, dtype, n_features=12):
    torch.manual_seed(0)
    critic = nn.Sequential(
        nn.Linear(n_features, 32), activation, nn.Linear(32, 16), activation, nn.Linear(16, 1)
    )
    return critic.to(dtype)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("activation", [nn.LeakyReLU(0.2), nn.ReLU(), nn.LeakyReLU(0.01)])
def test_closed_form_input_gradient_equals_autograd(activation, dtype):
    critic = _critic(activation, dtype)
    x = torch.randn(40, 12, dtype=dtype, requires_grad=True)
    (expected,) = torch.autograd.grad(critic(x).sum(), x)
    torch.testing.assert_close(chain_input_gradient(critic, None, x.detach()), expected)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_closed_form_penalty_and_its_parameter_gradients_equal_double_backward(dtype):
    critic = _critic(nn.LeakyReLU(0.2), dtype)
    real, fake = torch.rand(32, 12, dtype=dtype), torch.rand(32, 12, dtype=dtype)
    rng = torch.Generator().manual_seed(3)
    fast = critic_scores_with_penalty(critic, real, fake, rng, penalty=True)
    slow = _autograd_penalty(critic, real, fake, seed=3)
    for a, b in zip(fast, slow):
        torch.testing.assert_close(a, b)
    params = list(critic.parameters())
    loss_fast = fast[1].mean() - fast[0].mean() + 10 * fast[2]
    loss_slow = slow[1].mean() - slow[0].mean() + 10 * slow[2]
    grads_fast = torch.autograd.grad(loss_fast, params)
    grads_slow = torch.autograd.grad(loss_slow, params)
    for name, a, b in zip([n for n, _ in critic.named_parameters()], grads_fast, grads_slow):
        torch.testing.assert_close(a, b, msg=lambda m, name=name: f"{name}: {m}")


def test_penalty_is_positive_and_pulls_towards_unit_gradient_norm():
    critic = _critic(nn.LeakyReLU(0.2), torch.float64)
    with torch.no_grad():
        for layer in critic:
            if isinstance(layer, nn.Linear):
                layer.weight.mul_(10)  # gradient norms far above 1
    real, fake = torch.rand(32, 12, dtype=torch.float64), torch.rand(32, 12, dtype=torch.float64)
    _, _, gp = critic_scores_with_penalty(critic, real, fake, torch.Generator(), penalty=True)
    assert gp > 1
    gp.backward()
    # gradient descent on the penalty shrinks the weights' scale
    assert all((layer.weight * layer.weight.grad).sum() > 0 for layer in critic[::2])


def test_the_estimators_critics_take_the_closed_form_and_other_nets_do_not():
    _, mlp_critic, mlp_encoder = build_mlp_networks(8, 3, 4)
    assert _closed_form(mlp_critic)
    assert not _closed_form(mlp_encoder)  # several outputs
    _, conv_critic, conv_encoder = build_conv_networks((1, 8, 8), 3, 4)
    assert piecewise_linear_chain(conv_critic) == (conv_critic.net, (1, 8, 8))
    assert piecewise_linear_chain(conv_encoder) is None
    assert not _closed_form(nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)))
    assert not _closed_form(
        nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2, 1))
    )  # no image shape
    assert not _closed_form(nn.Sequential())


@pytest.mark.parametrize("widths", [CONV_WIDTHS["conv"], CONV_WIDTHS["conv-small"]])
@pytest.mark.parametrize("image_shape", [(1, 28, 28), (1, 27, 27), (3, 9, 7)])
def test_conv_critic_closed_form_penalty_matches_double_backward(image_shape, widths):
    torch.manual_seed(0)
    _, critic, _ = build_conv_networks(image_shape, 3, 4, widths=widths)
    critic = critic.double()
    n_features = int(torch.tensor(image_shape).prod())
    real = torch.rand(6, n_features, dtype=torch.float64)
    fake = torch.rand(6, n_features, dtype=torch.float64)
    fast = critic_scores_with_penalty(critic, real, fake, torch.Generator().manual_seed(1), True)
    slow = _autograd_penalty(critic, real, fake, seed=1)
    for a, b in zip(fast, slow):
        torch.testing.assert_close(a, b)
    params = list(critic.parameters())
    grads_fast = torch.autograd.grad(fast[2], params, allow_unused=True)
    grads_slow = torch.autograd.grad(slow[2], params, allow_unused=True)
    for name, a, b in zip([n for n, _ in critic.named_parameters()], grads_fast, grads_slow):
        if a is None and b is None:  # the last bias: no part in any input gradient
            continue
        a = torch.zeros_like(b) if a is None else a  # hidden biases: zero in exact arithmetic
        torch.testing.assert_close(a, b, msg=lambda m, name=name: f"{name}: {m}")


def test_no_penalty_returns_zero_and_the_scores():
    critic = _critic(nn.LeakyReLU(0.2), torch.float32)
    real, fake = torch.rand(5, 12), torch.rand(5, 12)
    d_real, d_fake, gp = critic_scores_with_penalty(critic, real, fake, None, penalty=False)
    assert gp.item() == 0.0
    torch.testing.assert_close(d_real, critic(real))
    torch.testing.assert_close(d_fake, critic(fake))


def test_a_user_critic_that_only_looks_like_ours_gets_the_double_backward():
    """Duck typing is not enough: a critic whose forward differs must not take the closed form."""

    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.image_shape = (1, 4, 4)
            self.net = nn.Sequential(
                nn.Flatten(), nn.Linear(16, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1)
            )

        def forward(self, x):
            return 3.0 * self.net(x.view(-1, *self.image_shape))

    critic = Scaled().double()
    assert piecewise_linear_chain(critic) is None
    real, fake = torch.rand(5, 16, dtype=torch.float64), torch.rand(5, 16, dtype=torch.float64)
    fast = critic_scores_with_penalty(critic, real, fake, torch.Generator().manual_seed(2), True)
    slow = _autograd_penalty(critic, real, fake, seed=2)
    torch.testing.assert_close(fast[2], slow[2])


def test_the_trainer_finds_the_critic_chain_once_and_falls_back_for_other_critics():
    from skclustergan._networks import Encoder
    from skclustergan._training import Trainer, TrainingConfig

    config = TrainingConfig(3, 4, 0.1, 10.0, 10.0, "wasserstein-gp", 10.0, 1, 8, 1e-3)
    generator, critic, encoder = build_mlp_networks(8, 3, 4, hidden_layer_sizes=(16, 16))

    def trainer(d):
        return Trainer(generator, d, Encoder(encoder, 3, 4), config, torch.Generator(), "cpu")

    assert trainer(critic).critic_chain == (critic, None)
    assert trainer(nn.Sequential(nn.Linear(8, 4), nn.Tanh(), nn.Linear(4, 1))).critic_chain is None


@pytest.mark.parametrize(
    "layers",
    [
        # a convolution after the last activation, then a flatten and two linear maps
        lambda: [
            nn.Conv2d(1, 4, 3, stride=2), nn.LeakyReLU(0.2), nn.Conv2d(4, 2, 3), nn.Flatten(),
            nn.Linear(8, 5), nn.Linear(5, 1),
        ],
        # no activation at all: the critic is affine
        lambda: [nn.Flatten(), nn.Linear(81, 7), nn.Identity(), nn.Linear(7, 1)],
        # in-place activations overwrite the pre-activation they are given
        lambda: [
            nn.Flatten(), nn.Linear(81, 16), nn.ReLU(inplace=True), nn.Linear(16, 8),
            nn.LeakyReLU(0.1, inplace=True), nn.Linear(8, 1),
        ],
    ],
    ids=["conv-after-last-activation", "affine", "inplace-activations"],
)
def test_closed_form_input_gradient_handles_any_layer_order(layers):
    torch.manual_seed(0)
    chain = nn.Sequential(*layers()).double()
    x = torch.randn(6, 81, dtype=torch.float64, requires_grad=True)
    (expected,) = torch.autograd.grad(chain(x.view(-1, 1, 9, 9)).sum(), x)
    got = chain_input_gradient(chain, (1, 9, 9), x.detach())
    torch.testing.assert_close(got, expected)
