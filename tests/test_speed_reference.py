"""The speed benchmark's plain reference loop computes what ClusterGAN.fit computes.

``benchmarks/reference_loop.py`` is the baseline of ``benchmarks/speed.py``; its
speed-up figures only mean something if both loops do the same arithmetic. In
its matched mode the reference draws its random numbers in Trainer's order, so
the losses and the trained parameters must agree up to float rounding.

One subtlety: a few parameters have a gradient that is exactly zero in exact
arithmetic (the bias of a layer followed by BatchNorm; for the tiny conv nets,
critic biases whose units have the same activation pattern on real and fake
samples, since the gradient penalty does not depend on biases). Their float32
gradient is pure rounding noise, and Adam's first steps, ``g / (|g| + 1e-8)``,
turn that noise into moves of about the learning rate. So the float32 test
compares those parameters through what they affect (G's output in training
mode), and the float64 tests, where rounding noise is far below Adam's epsilon,
compare every parameter.
"""

import copy
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from skclustergan import ClusterGAN
from skclustergan._data import MinMaxScaling, TrainingData
from skclustergan._networks import Encoder
from skclustergan._training import HISTORY_KEYS, Trainer, TrainingConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import reference_loop  # noqa: E402

N_ITER = 3


def _reference(
    nets, n_critic, latent_dim, n_clusters, batch_size, learning_rate=2e-3, schedule="constant",
    adam_betas=(0.5, 0.9),
):  # fmt: skip
    return reference_loop.ReferenceClusterGAN(
        *nets,
        latent_dim=latent_dim,
        n_clusters=n_clusters,
        sigma=0.1,
        beta_n=10.0,
        beta_c=10.0,
        gp_weight=10.0,
        n_critic=n_critic,
        learning_rate=learning_rate,
        learning_rate_schedule=schedule,
        batch_size=batch_size,
        adam_betas=adam_betas,
    )


def _pre_batchnorm_entries(net: nn.Module) -> set:
    """State-dict names of biases followed by BatchNorm, and those BatchNorms' running means."""
    names = set()
    for prefix, module in net.named_modules():
        if not isinstance(module, nn.Sequential):
            continue
        children = list(module.named_children())
        for (prev_name, prev), (name, child) in zip(children[:-1], children[1:]):
            if isinstance(child, nn.modules.batchnorm._BatchNorm) and hasattr(prev, "bias"):
                base = f"{prefix}." if prefix else ""
                names.add(f"{base}{prev_name}.bias")
                names.add(f"{base}{name}.running_mean")
    return names


def _assert_states_close(fast_nets, ref_nets, rtol, atol, skip=lambda net: set()):
    for fast, ref in zip(fast_nets, ref_nets):
        fast_state, ref_state = fast.state_dict(), ref.state_dict()
        assert list(fast_state) == list(ref_state)
        skipped = skip(ref)
        for name in fast_state:
            if name not in skipped:
                torch.testing.assert_close(
                    fast_state[name], ref_state[name], rtol=rtol, atol=atol, msg=name
                )


@pytest.mark.parametrize(
    "n_critic, adam_betas", [(1, (0.5, 0.9)), (2, (0.5, 0.9)), (1, (0.0, 0.8))]
)
def test_reference_loop_matches_fit_float32(n_critic, adam_betas):
    """ClusterGAN.fit itself (fused Adam, one critic pass) against the plain loop."""
    X = np.random.RandomState(0).rand(120, 12).astype(np.float32)
    model = ClusterGAN(
        n_clusters=4,
        latent_dim=3,
        hidden_layer_sizes=(32, 32),
        batch_size=16,
        n_critic=n_critic,
        max_iter=N_ITER,
        learning_rate_schedule="linear",  # the reference repeats it with LambdaLR
        adam_betas=adam_betas,
        random_state=0,
        device="cpu",
    ).fit(X)
    seed = reference_loop.estimator_seed(0)
    nets = reference_loop.build_networks("mlp", 12, 3, 4, seed, hidden_layer_sizes=(32, 32))
    reference = _reference(
        nets, n_critic, 3, 4, 16, model._training_config().learning_rate,
        model.learning_rate_schedule, adam_betas,
    )  # fmt: skip
    data = model.scaling_.forward(X, torch.float32, torch.device("cpu"))
    losses = reference.fit(data, N_ITER, rng=torch.Generator().manual_seed(seed))

    history = np.column_stack([model.history_[key] for key in HISTORY_KEYS])
    assert losses.shape == history.shape == (N_ITER, len(HISTORY_KEYS))
    np.testing.assert_allclose(losses, history, rtol=1e-5, atol=1e-5)
    fast_nets = (model.generator_, model.discriminator_, model.encoder_.body)
    _assert_states_close(fast_nets, nets, 1e-5, 1e-5, skip=_pre_batchnorm_entries)
    # The skipped biases cancel in BatchNorm: G agrees as a function (training mode).
    z = torch.randn(32, 3 + 4, generator=torch.Generator().manual_seed(1))
    model.generator_.train(), nets[0].train()
    with torch.no_grad():
        torch.testing.assert_close(model.generator_(z), nets[0](z), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "schedule, reuse_fakes", [("constant", False), ("linear", False), ("constant", True)]
)
@pytest.mark.parametrize("architecture", ["mlp", "conv", "conv-small"])
@pytest.mark.usefixtures("float64_default")
def test_reference_loop_matches_trainer_float64(architecture, schedule, reuse_fakes):
    """Trainer against the plain loop in float64, where every parameter must agree."""
    n_critic, latent_dim, n_clusters, batch_size = 2, 4, 3, 8
    rows = np.random.RandomState(1).rand(40, 64)
    nets = reference_loop.build_networks(
        architecture,
        64,
        latent_dim,
        n_clusters,
        seed=3,
        hidden_layer_sizes=(32, 32),
        image_shape=(1, 8, 8),
    )
    fast_nets = copy.deepcopy(nets)
    data = TrainingData(rows, MinMaxScaling.fit(rows, "none"), torch.device("cpu"))
    data.tensor = data.tensor.double()
    config = TrainingConfig(
        latent_dim=latent_dim,
        n_clusters=n_clusters,
        sigma=0.1,
        beta_n=10.0,
        beta_c=10.0,
        adversarial_loss="wasserstein-gp",
        gp_weight=10.0,
        n_critic=n_critic,
        batch_size=batch_size,
        learning_rate=2e-3,
        learning_rate_schedule=schedule,
        reuse_fakes=reuse_fakes,
    )
    trainer = Trainer(
        fast_nets[0],
        fast_nets[1],
        Encoder(fast_nets[2], latent_dim),
        config,
        torch.Generator().manual_seed(7),
        torch.device("cpu"),
    )
    history, _ = trainer.fit(data, N_ITER)
    reference = _reference(nets, n_critic, latent_dim, n_clusters, batch_size, schedule=schedule)
    reference.reuse_fakes = reuse_fakes
    losses = reference.fit(data.tensor, N_ITER, rng=torch.Generator().manual_seed(7))
    assert history.dtype == torch.float64
    np.testing.assert_allclose(losses, history.numpy(), rtol=1e-9, atol=1e-9)
    _assert_states_close(fast_nets, nets, 1e-8, 1e-9)


def test_reference_loop_dataloader_mode_runs():
    X = torch.rand(50, 6)
    nets = reference_loop.build_networks("mlp", 6, 2, 3, seed=0, hidden_layer_sizes=(8,))
    reference = _reference(nets, 2, 2, 3, 16)
    # 50 rows give 3 full batches per epoch: 4 iterations cross an epoch boundary.
    losses = np.concatenate([reference.fit(X, 2), reference.fit(X, 2)])
    assert losses.shape == (4, len(HISTORY_KEYS))
    assert np.isfinite(losses).all()
    assert len(reference.log) == 4 * 3


@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")
def test_reference_loop_trains_on_cuda_with_host_data():
    X = torch.rand(50, 6)  # host memory: each DataLoader batch is copied to the GPU
    nets = reference_loop.build_networks("mlp", 6, 2, 3, seed=0, hidden_layer_sizes=(8,))
    reference = reference_loop.ReferenceClusterGAN(
        *nets, latent_dim=2, n_clusters=3, batch_size=16, device="cuda"
    )
    losses = reference.fit(X, 3)
    assert np.isfinite(losses).all()
    assert all(p.device.type == "cuda" for p in reference.generator.parameters())
