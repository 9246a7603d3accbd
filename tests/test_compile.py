"""``compile=True``: the MLP steps under ``torch.compile``, and the fallbacks."""

import copy
import warnings

import numpy as np
import pytest
import torch
from _rows import TensorRows

from skclustergan import ClusterGAN, _compile, _estimator
from skclustergan._mlp_trainer import MlpTrainer, mlp_layout
from skclustergan._networks import Encoder, build_conv_networks, build_mlp_networks
from skclustergan._training import Trainer, TrainingConfig, make_trainer

N_FEATURES, LATENT_DIM, N_CLUSTERS = 12, 3, 4
CONFIG = TrainingConfig(
    latent_dim=LATENT_DIM, n_clusters=N_CLUSTERS, sigma=0.1, beta_n=10.0, beta_c=10.0,
    adversarial_loss="wasserstein-gp", gp_weight=10.0, n_critic=2, batch_size=16,
    learning_rate=1e-3,
)  # fmt: skip


def _data() -> TensorRows:
    return TensorRows(torch.rand(40, N_FEATURES, generator=torch.Generator().manual_seed(1)))


def _networks():
    torch.manual_seed(0)
    g, d, e = build_mlp_networks(N_FEATURES, LATENT_DIM, N_CLUSTERS, hidden_layer_sizes=(16, 16))
    return g, d, Encoder(e, LATENT_DIM, N_CLUSTERS)


def _trainer(nets, compile: bool) -> MlpTrainer:
    layout = mlp_layout(*nets)
    generator = torch.Generator().manual_seed(3)
    return MlpTrainer(*nets, CONFIG, generator, torch.device("cpu"), layout=layout, compile=compile)


def _freeze_optimizers(*trainers):
    for trainer in trainers:
        trainer.d_optimizer.step = lambda *args, **kwargs: None
        trainer.ge_optimizer.step = lambda *args, **kwargs: None


def test_compiled_steps_compute_the_eager_losses_and_gradients_without_graph_breaks():
    from torch._dynamo.utils import counters

    nets = _networks()
    copies = [copy.deepcopy(net) for net in nets]
    eager, compiled = _trainer(nets, compile=False), _trainer(copies, compile=True)
    _freeze_optimizers(eager, compiled)
    counters.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = [compiled.critic_step(_data()), compiled.generator_step()]
    if not (compiled._critic_update.active and compiled._generator_update.active):
        pytest.skip(f"torch.compile is unusable here: {[str(w.message) for w in caught]}")
    assert not counters["graph_break"], dict(counters["graph_break"])
    expected = [eager.critic_step(_data()), eager.generator_step()]
    for g, e in zip(got, expected):
        torch.testing.assert_close(g, e, rtol=1e-5, atol=1e-6)
    for net_a, net_b in zip(nets, copies):
        for (name, a), b in zip(net_a.named_parameters(), net_b.parameters()):
            torch.testing.assert_close(b.grad, a.grad, rtol=1e-4, atol=1e-6, msg=name)
        for (name, a), b in zip(net_a.named_buffers(), net_b.buffers()):
            torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6, msg=name)


def test_compiled_training_follows_the_eager_losses():
    nets = _networks()
    copies = [copy.deepcopy(net) for net in nets]
    eager, compiled = _trainer(nets, compile=False), _trainer(copies, compile=True)
    expected, _ = eager.fit(_data(), 4)
    got, _ = compiled.fit(_data(), 4)
    if not compiled._critic_update.active:
        pytest.skip("torch.compile is unusable here")
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-5)
    # (parameters are not compared: G's Linear biases feed BatchNorm, which removes
    # them, so their gradient is rounding noise that Adam scales up to steps of about
    # the learning rate, differently in the two runs; their effect cancels)


def test_other_loss_weights_reuse_the_compiled_steps():
    """beta_n, beta_c and gp_weight are inputs of the compiled graphs, not constants,
    so that a grid search over them compiles once."""
    import dataclasses

    from torch._dynamo.utils import counters

    first = _trainer(_networks(), compile=True)
    first.fit(_data(), 1)
    if not first._critic_update.active:
        pytest.skip("torch.compile is unusable here")
    graphs = counters["stats"]["unique_graphs"]
    other = dataclasses.replace(CONFIG, beta_n=0.0, beta_c=3.0, gp_weight=1.0)
    nets = _networks()
    layout = mlp_layout(*nets)
    second = MlpTrainer(
        *nets, other, torch.Generator().manual_seed(3), torch.device("cpu"), layout=layout,
        compile=True,
    )  # fmt: skip
    copies = [copy.deepcopy(net) for net in nets]
    eager = MlpTrainer(
        *copies, other, torch.Generator().manual_seed(3), torch.device("cpu"),
        layout=mlp_layout(*copies), compile=False,
    )  # fmt: skip
    got, _ = second.fit(_data(), 2)
    expected, _ = eager.fit(_data(), 2)
    assert counters["stats"]["unique_graphs"] == graphs
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-5)


def test_a_step_that_fails_to_compile_runs_eager_with_a_warning(monkeypatch):
    def broken_compile(fn, **kwargs):
        def compiled(*args):
            raise RuntimeError("no C++ compiler\nsecond line")

        return compiled

    monkeypatch.setattr(_compile.torch, "compile", broken_compile)
    nets = _networks()
    copies = [copy.deepcopy(net) for net in nets]
    eager, fallback = _trainer(nets, compile=False), _trainer(copies, compile=True)
    expected, _ = eager.fit(_data(), 3)
    with pytest.warns(RuntimeWarning) as record:
        got, _ = fallback.fit(_data(), 3)
    messages = sorted(str(w.message) for w in record)
    assert messages == [
        f"torch.compile could not compile the {step} step (RuntimeError: no C++ compiler); "
        "training continues uncompiled."
        for step in ("critic", "generator")
    ]
    assert not fallback._critic_update.active
    assert not fallback._generator_update.active
    torch.testing.assert_close(got, expected, rtol=0, atol=0)


def test_verbose_fits_say_how_long_compiling_took(monkeypatch, capsys):
    def slow_compile(fn, **kwargs):
        def compiled(*args):
            clock[0] += 5.0  # the first call of each step "compiles" for 5 s
            return fn(*args)

        return compiled

    clock = [0.0]
    monkeypatch.setattr(_compile, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(_compile.torch, "compile", slow_compile)
    _trainer(_networks(), compile=True).fit(_data(), 2, verbose=1)
    out = capsys.readouterr().out
    assert "torch.compile prepared the critic step in 5.0s" in out
    assert "torch.compile prepared the generator step in 5.0s" in out
    _trainer(_networks(), compile=True).fit(_data(), 2, verbose=0)
    assert "torch.compile" not in capsys.readouterr().out


def test_compile_on_networks_without_written_out_steps_warns_and_trains_uncompiled():
    torch.manual_seed(0)
    g, d, e = build_conv_networks((1, 28, 28), LATENT_DIM, N_CLUSTERS)
    nets = (g, d, Encoder(e, LATENT_DIM, N_CLUSTERS))
    args = (*nets, CONFIG, torch.Generator().manual_seed(0), torch.device("cpu"))
    with pytest.warns(UserWarning, match="compile=True applies to the fully connected"):
        trainer = make_trainer(*args, compile=True)
    assert type(trainer) is Trainer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_trainer(*args, compile=False)


def test_the_estimator_passes_compile_to_its_trainer(monkeypatch):
    seen = []

    def spy(*args, compile=False, **kwargs):
        seen.append(compile)
        return make_trainer(*args, **kwargs)  # uncompiled: the test stays fast

    monkeypatch.setattr(_estimator, "make_trainer", spy)
    X = np.random.default_rng(0).random((30, 5))
    ClusterGAN(n_clusters=2, max_iter=2, compile=True, random_state=0).fit(X)
    ClusterGAN(n_clusters=2, max_iter=2, random_state=0).fit(X)
    assert seen == [True, False]


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_compile_must_be_a_bool(value):
    X = np.random.default_rng(0).random((30, 5))
    with pytest.raises(ValueError, match="The 'compile' parameter of ClusterGAN must be"):
        ClusterGAN(n_clusters=2, max_iter=2, compile=value).fit(X)
