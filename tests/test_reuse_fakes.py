"""``reuse_fakes``: the G+E step trains on the last critic step's codes and ``G(z)``."""

import copy
import dataclasses

import numpy as np
import pytest
import torch
from _rows import TensorRows
from sklearn.utils._param_validation import InvalidParameterError

from skclustergan import ClusterGAN, cli
from skclustergan._mlp_trainer import MlpTrainer, mlp_layout
from skclustergan._networks import Encoder, build_conv_networks, build_mlp_networks
from skclustergan._training import Trainer, TrainingConfig

N_FEATURES, LATENT_DIM, N_CLUSTERS = 12, 3, 4
CONFIG = TrainingConfig(
    latent_dim=LATENT_DIM, n_clusters=N_CLUSTERS, sigma=0.1, beta_n=10.0, beta_c=10.0,
    adversarial_loss="wasserstein-gp", gp_weight=10.0, n_critic=1, batch_size=16,
    learning_rate=1e-3, reuse_fakes=True,
)  # fmt: skip


def _data(n_features=N_FEATURES, dtype=torch.float64) -> TensorRows:
    X = torch.rand(40, n_features, generator=torch.Generator().manual_seed(1), dtype=dtype)
    return TensorRows(X)


def _mlp_nets(dtype=torch.float64):
    torch.manual_seed(0)
    g, d, e = build_mlp_networks(N_FEATURES, LATENT_DIM, N_CLUSTERS, hidden_layer_sizes=(16, 16))
    return g.to(dtype), d.to(dtype), Encoder(e.to(dtype), LATENT_DIM, N_CLUSTERS)


def _trainer(nets, config, kind="autograd"):
    args = (*nets, config, torch.Generator().manual_seed(3), torch.device("cpu"))
    if kind == "mlp":
        return MlpTrainer(*args, layout=mlp_layout(*nets))
    return Trainer(*args)


class _LastCriticCodes(Trainer):
    """The plain loop with the G+E step handed the last critic step's codes, G run again."""

    def sample_latent(self, n_samples):
        codes = super().sample_latent(n_samples)
        self.last_codes = codes
        return codes

    def generator_step(self):
        fresh = self.sample_latent
        self.sample_latent = lambda n: self.last_codes
        try:
            return super().generator_step()
        finally:
            self.sample_latent = fresh


@pytest.mark.usefixtures("float64_default")
@pytest.mark.parametrize("n_critic", [1, 3])
def test_reused_fakes_train_as_g_and_e_on_the_last_critic_steps_codes(n_critic):
    config = dataclasses.replace(CONFIG, n_critic=n_critic)
    nets = _mlp_nets()
    copies = [copy.deepcopy(net) for net in nets]
    reused = _trainer(nets, config)
    rerun = _LastCriticCodes(
        *copies, dataclasses.replace(config, reuse_fakes=False),
        torch.Generator().manual_seed(3), torch.device("cpu"),
    )  # fmt: skip
    got, _ = reused.fit(_data(), 4)
    expected, _ = rerun.fit(_data(), 4)
    torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)
    for net_a, net_b in zip(nets, copies):
        for (name, a), b in zip(net_a.named_parameters(), net_b.parameters()):
            torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12, msg=name)


@pytest.mark.usefixtures("float64_default")
@pytest.mark.parametrize("n_critic", [1, 2])
def test_written_out_steps_reuse_fakes_as_autograd_does(n_critic):
    config = dataclasses.replace(CONFIG, n_critic=n_critic)
    nets = _mlp_nets()
    copies = [copy.deepcopy(net) for net in nets]
    expected, _ = _trainer(nets, config).fit(_data(), 5)
    got, _ = _trainer(copies, config, kind="mlp").fit(_data(), 5)
    torch.testing.assert_close(got, expected, rtol=1e-7, atol=1e-9)
    for (name, a), b in zip(nets[2].named_parameters(), copies[2].parameters()):
        torch.testing.assert_close(b, a, rtol=1e-7, atol=1e-9, msg=name)


@pytest.mark.usefixtures("float64_default")
@pytest.mark.parametrize("kind", ["autograd", "mlp"])
@pytest.mark.parametrize("reuse", [False, True])
def test_reusing_fakes_saves_one_generator_pass_and_one_draw_per_iteration(kind, reuse):
    config = dataclasses.replace(CONFIG, n_critic=2, reuse_fakes=reuse)
    trainer = _trainer(_mlp_nets(), config, kind)
    passes, draws = [], []
    trainer.generator.register_forward_hook(lambda *args: passes.append(1))
    sample = trainer.sample_latent
    trainer.sample_latent = lambda n: draws.append(1) or sample(n)
    if kind == "mlp":  # the written-out steps do not call the module
        generate = trainer._generate
        trainer._generate = lambda z: passes.append(1) or generate(z)
    trainer.fit(_data(), 3)
    per_iteration = 2 if reuse else 3
    assert len(passes) == len(draws) == 3 * per_iteration


def test_conv_nets_reuse_fakes_under_bfloat16_autocast():
    torch.manual_seed(0)
    g, d, e = build_conv_networks((1, 28, 28), LATENT_DIM, N_CLUSTERS, "sigmoid", (8, 16, 32))
    config = dataclasses.replace(CONFIG, batch_size=4, precision="bf16-mixed")
    trainer = _trainer((g, d, Encoder(e, LATENT_DIM, N_CLUSTERS)), config)
    history, _ = trainer.fit(_data(28 * 28, torch.float32), 3)
    assert torch.isfinite(history).all()
    assert trainer._kept is None  # nothing held between iterations


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, False),
        ({"architecture": "conv-small", "image_shape": (8, 8)}, True),
        ({"image_shape": (8, 8)}, True),
        ({"image_shape": (8, 8), "reuse_fakes": False}, False),
        ({"reuse_fakes": True}, True),
    ],
)
def test_auto_reuses_fakes_for_the_conv_nets_only(params, expected):
    assert ClusterGAN(**params)._training_config().reuse_fakes is expected


@pytest.mark.parametrize("value", ["yes", 1.0, None])
def test_reuse_fakes_rejects_anything_but_a_bool_or_auto(value):
    X = np.random.default_rng(0).random((20, 4))
    with pytest.raises(InvalidParameterError, match="'reuse_fakes' parameter of ClusterGAN"):
        ClusterGAN(n_clusters=2, max_iter=2, reuse_fakes=value).fit(X)


def test_estimator_fit_with_reused_fakes_is_reproducible_and_differs():
    X = np.random.default_rng(0).random((60, 5)).astype(np.float32)

    def codes(reuse):
        model = ClusterGAN(n_clusters=3, latent_dim=2, max_iter=30, reuse_fakes=reuse,
                           device="cpu", random_state=0)  # fmt: skip
        return model.fit(X).transform(X)

    reused = codes(True)
    np.testing.assert_array_equal(reused, codes(True))
    assert not np.allclose(reused, codes(False))


@pytest.mark.parametrize("value, expected", [("auto", "auto"), ("yes", True), ("No", False)])
def test_cli_reuse_fakes_option_reaches_the_estimator(value, expected):
    args = cli.build_parser().parse_args(["fit", "d.csv", "-k", "3", "--reuse-fakes", value])
    assert cli._estimator_params(args)["reuse_fakes"] == expected


def test_cli_reuse_fakes_option_rejects_other_words(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.build_parser().parse_args(["fit", "d.csv", "-k", "3", "--reuse-fakes", "often"])
    assert exc.value.code == 2
    assert "argument --reuse-fakes: expected 'auto', 'yes' or 'no', got 'often'" in (
        capsys.readouterr().err
    )
