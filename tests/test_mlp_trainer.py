"""The hand-written training steps of the MLP nets compute what autograd computes."""

import copy

import numpy as np
import pytest
import torch
from _rows import TensorRows
from torch import nn

from skclustergan import ClusterGAN
from skclustergan._mlp_trainer import BufferedEncoder, MlpTrainer, mlp_layout
from skclustergan._networks import Encoder, build_conv_networks, build_mlp_networks
from skclustergan._training import Trainer, TrainingConfig, make_trainer

N_FEATURES, LATENT_DIM, N_CLUSTERS = 12, 3, 4


pytestmark = pytest.mark.usefixtures("float64_default")  # compare in float64


def _config(**changes) -> TrainingConfig:
    values = {
        "latent_dim": LATENT_DIM, "n_clusters": N_CLUSTERS, "sigma": 0.1, "beta_n": 10.0,
        "beta_c": 10.0, "adversarial_loss": "wasserstein-gp", "gp_weight": 10.0, "n_critic": 1,
        "batch_size": 16, "learning_rate": 1e-3,
    }  # fmt: skip
    return TrainingConfig(**{**values, **changes})


def _networks(hidden, output_activation="sigmoid", dtype=torch.float64):
    torch.manual_seed(0)
    g, d, e = build_mlp_networks(
        N_FEATURES, LATENT_DIM, N_CLUSTERS, hidden_layer_sizes=hidden,
        output_activation=output_activation,
    )  # fmt: skip
    return g.to(dtype), d.to(dtype), Encoder(e.to(dtype), LATENT_DIM, N_CLUSTERS)


def _pair(hidden, output_activation="sigmoid", config=None, seed=3):
    """An autograd Trainer and an MlpTrainer on equal copies of the same nets."""
    config = config or _config()
    nets = _networks(hidden, output_activation)
    copies = [copy.deepcopy(net) for net in nets]
    layout = mlp_layout(*copies)
    assert layout is not None
    slow = Trainer(*nets, config, torch.Generator().manual_seed(seed), torch.device("cpu"))
    fast = MlpTrainer(
        *copies, config, torch.Generator().manual_seed(seed), torch.device("cpu"), layout=layout
    )
    return slow, fast


def _freeze_optimizers(*trainers):
    """Optimiser steps that do nothing, so gradients of one state can be compared."""
    for trainer in trainers:
        trainer.d_optimizer.step = lambda *args, **kwargs: None
        trainer.ge_optimizer.step = lambda *args, **kwargs: None


def _assert_same(module_a, module_b, what):
    for (name, a), (_, b) in zip(module_a.named_parameters(), module_b.named_parameters()):
        got = getattr(b, what) if what == "grad" else b
        expected = getattr(a, what) if what == "grad" else a
        torch.testing.assert_close(got, expected, rtol=1e-9, atol=1e-11, msg=name)


def _data(seed=1):
    return TensorRows(
        torch.rand(40, N_FEATURES, generator=torch.Generator().manual_seed(seed)).double()
    )


@pytest.mark.parametrize("hidden", [(32, 32), (24,), (16, 8, 12)])
@pytest.mark.parametrize("output_activation", ["sigmoid", "identity"])
def test_critic_step_writes_the_autograd_gradients_and_loss(hidden, output_activation):
    slow, fast = _pair(hidden, output_activation)
    _freeze_optimizers(slow, fast)
    data = _data()
    expected = slow.critic_step(data)
    got = fast.critic_step(data)
    torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)
    _assert_same(slow.discriminator, fast.discriminator, "grad")
    # the fakes went through G in training mode: BatchNorm statistics moved alike
    for a, b in zip(slow.generator.buffers(), fast.generator.buffers()):
        torch.testing.assert_close(b, a, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("hidden", [(32, 32), (24,), (16, 8, 12)])
@pytest.mark.parametrize("output_activation", ["sigmoid", "identity"])
def test_generator_step_writes_the_autograd_gradients_and_losses(hidden, output_activation):
    slow, fast = _pair(hidden, output_activation, _config(beta_n=3.0, beta_c=0.5))
    _freeze_optimizers(slow, fast)
    expected = slow.generator_step()
    got = fast.generator_step()
    torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)
    _assert_same(slow.generator, fast.generator, "grad")
    _assert_same(slow.encoder, fast.encoder, "grad")
    for a, b in zip(slow.generator.buffers(), fast.generator.buffers()):
        torch.testing.assert_close(b, a, rtol=1e-12, atol=1e-12)


def test_generator_step_leaves_the_critic_gradients_alone():
    _, fast = _pair((16, 16))
    _freeze_optimizers(fast)
    fast.critic_step(_data())
    before = [p.grad.clone() for p in fast.discriminator.parameters()]
    fast.generator_step()
    for b, p in zip(before, fast.discriminator.parameters()):
        assert torch.equal(p.grad, b)


def test_training_runs_match_the_autograd_loop_for_several_iterations():
    slow, fast = _pair((32, 32), config=_config(n_critic=2))
    data = _data()
    expected, _ = slow.fit(data, 5)
    got, _ = fast.fit(data, 5)
    torch.testing.assert_close(got, expected, rtol=1e-7, atol=1e-9)
    _assert_same(slow.encoder, fast.encoder, "data")


def test_zero_gradient_penalty_weight_still_matches():
    slow, fast = _pair((16,), config=_config(gp_weight=0.0))
    _freeze_optimizers(slow, fast)
    data = _data()
    torch.testing.assert_close(fast.critic_step(data), slow.critic_step(data))
    _assert_same(slow.discriminator, fast.discriminator, "grad")


def test_the_estimator_trains_its_mlp_nets_with_the_written_out_steps(monkeypatch):
    used = []
    original = MlpTrainer.critic_step

    def spy(self, data):
        used.append(type(self))
        return original(self, data)

    monkeypatch.setattr(MlpTrainer, "critic_step", spy)
    torch.set_default_dtype(torch.float32)  # as users run it (the fixture restores)
    X = np.random.default_rng(0).random((60, 5))
    ClusterGAN(n_clusters=2, latent_dim=2, hidden_layer_sizes=(8,), max_iter=3,
               device="cpu", random_state=0).fit(X)  # fmt: skip
    assert used == [MlpTrainer] * 3


@pytest.mark.parametrize(
    "change",
    ["standard-loss", "conv-nets", "critic-batch-norm", "tanh-critic", "two-output-critic",
     "forward-hook", "no-encoder-wrapper", "generator-without-batch-norm"],
)  # fmt: skip
def test_other_networks_and_losses_train_with_autograd(change):
    g, d, e = _networks((16, 16))
    config = _config()
    if change == "standard-loss":
        config = _config(adversarial_loss="standard")
    elif change == "conv-nets":
        g, d, conv_e = build_conv_networks((1, 8, 8), LATENT_DIM, N_CLUSTERS)
        e = Encoder(conv_e, LATENT_DIM, N_CLUSTERS)
    elif change == "critic-batch-norm":
        d = nn.Sequential(d[0], nn.BatchNorm1d(16), *list(d)[1:])
    elif change == "tanh-critic":
        d = nn.Sequential(d[0], nn.Tanh(), *list(d)[2:])
    elif change == "two-output-critic":
        d = nn.Sequential(*list(d)[:-1], nn.Linear(16, 2))
    elif change == "forward-hook":
        e.body[0].register_forward_hook(lambda *args: None)
    elif change == "no-encoder-wrapper":
        e = e.body
    elif change == "generator-without-batch-norm":
        g = nn.Sequential(*(m for m in g if not isinstance(m, nn.BatchNorm1d)))
    trainer = make_trainer(g, d, e, config, torch.Generator(), torch.device("cpu"))
    assert type(trainer) is Trainer


def test_make_trainer_picks_the_written_out_steps_for_the_estimator_nets():
    trainer = make_trainer(*_networks((16, 16)), _config(), torch.Generator(), torch.device("cpu"))
    assert type(trainer) is MlpTrainer


def test_a_critic_with_zero_input_gradient_gets_finite_penalty_gradients():
    slow, fast = _pair((16,))
    _freeze_optimizers(slow, fast)
    for trainer in (slow, fast):
        with torch.no_grad():
            trainer.discriminator[0].weight.zero_()  # grad_x D = 0 everywhere: ||.|| = 0
    data = _data()
    torch.testing.assert_close(fast.critic_step(data), slow.critic_step(data))
    _assert_same(slow.discriminator, fast.discriminator, "grad")
    assert all(torch.isfinite(p.grad).all() for p in fast.discriminator.parameters())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_buffered_encoder_matches_the_module_forward(dtype):
    torch.manual_seed(0)
    _, _, body = build_mlp_networks(12, 3, 4, hidden_layer_sizes=(16, 8))
    encoder = Encoder(body.to(dtype), latent_dim=3, n_clusters=4).eval()
    forward = BufferedEncoder.of(encoder, rows=5)
    assert forward is not None
    x = torch.rand(5, 12, dtype=dtype)
    with torch.inference_mode():
        expected = encoder(x)
        for rows in (x, x[:2]):  # a full pass, then a shorter last chunk
            got = forward(rows)
            for g, e in zip(got, encoder(rows)):
                assert g.dtype == dtype
                torch.testing.assert_close(g, e, rtol=1e-6, atol=1e-6)
    assert torch.equal(encoder(x)[0], expected[0])  # the module itself is untouched


def test_buffered_encoder_declines_other_networks():
    conv = build_conv_networks((1, 28, 28), 3, 4)[2]
    assert BufferedEncoder.of(Encoder(conv, 3, 4), rows=8) is None
    _, _, body = build_mlp_networks(12, 3, 4, hidden_layer_sizes=(16,))
    hooked = Encoder(body, 3, 4)
    hooked.body[0].register_forward_hook(lambda *args: None)
    assert BufferedEncoder.of(hooked, rows=8) is None
    assert BufferedEncoder.of(body, rows=8) is None  # not wrapped in Encoder


def test_transform_and_predict_equal_the_encoder_on_many_chunks():
    torch.set_default_dtype(torch.float32)  # as users run it (the fixture restores)
    X = np.random.default_rng(0).random((5000, 6))  # float64: the encoder runs in float64
    model = ClusterGAN(
        n_clusters=3,
        latent_dim=2,
        hidden_layer_sizes=(16, 16),
        max_iter=5,
        device="cpu",
        random_state=0,
    ).fit(X[:200])
    with torch.inference_mode():
        x = model.scaling_.forward(X, torch.float64, torch.device("cpu"))
        z_n, logits = copy.deepcopy(model.encoder_).double()(x)
    np.testing.assert_allclose(model.transform(X), z_n.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(model.predict(X), logits.argmax(1).numpy())


@pytest.mark.parametrize("heads", ["n", "c"])
def test_buffered_encoder_computes_only_the_head_asked_for(heads):
    torch.manual_seed(0)
    _, _, body = build_mlp_networks(12, 3, 4, hidden_layer_sizes=(16, 8))
    encoder = Encoder(body, latent_dim=3, n_clusters=4).eval()
    forward = BufferedEncoder.of(encoder, rows=50, heads=heads)
    assert forward.layers[-1][0].shape == ((3, 8) if heads == "n" else (4, 8))
    x = torch.rand(50, 12)
    with torch.inference_mode():
        z_n, logits = forward(x)
        expected = encoder(x)
    got, want = (z_n, expected[0]) if heads == "n" else (logits, expected[1])
    assert (logits if heads == "n" else z_n) is None
    torch.testing.assert_close(got, want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_buffered_encoder_with_the_scaling_folded_in_takes_unscaled_rows(dtype):
    torch.manual_seed(0)
    _, _, body = build_mlp_networks(5, 2, 3, hidden_layer_sizes=(16, 16))
    encoder = Encoder(body.to(dtype), latent_dim=2, n_clusters=3).eval()
    shift, scale = np.array([0.0, -1.0, 2.0, 0.5, 0.0]), np.array([255.0, 2.0, 3.0, 1.0, 16.0])
    X = shift + scale * np.random.default_rng(0).random((40, 5))
    forward = BufferedEncoder.of(encoder, rows=40, affine=(shift, scale))
    with torch.inference_mode():
        got = forward(torch.as_tensor(X, dtype=dtype))
        expected = encoder(torch.as_tensor((X - shift) / scale, dtype=dtype))
    tol = 1e-12 if dtype == torch.float64 else 2e-6
    for g, e in zip(got, expected):
        assert g.dtype == dtype
        torch.testing.assert_close(g, e, rtol=tol, atol=tol)
    assert torch.equal(encoder.body[0].weight, body[0].weight)  # the module is untouched
