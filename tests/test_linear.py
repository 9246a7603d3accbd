"""The CPU inference products: oneDNN where it beats the BLAS, the same results either way."""

import numpy as np
import pytest
import torch

from skclustergan import ClusterGAN, _linear, _mlp_trainer
from skclustergan._linear import (
    ONEDNN_MIN_ROWS,
    PackedLinear,
    onednn_is_faster,
    onednn_linear_available,
    onednn_rows,
)
from skclustergan._mlp_trainer import BufferedEncoder
from skclustergan._networks import Encoder, build_mlp_networks

needs_onednn = pytest.mark.skipif(
    not onednn_linear_available(), reason="this torch has no oneDNN linear operators"
)


@needs_onednn
@pytest.mark.parametrize("slope", [None, 0.2])
@pytest.mark.parametrize("rows", [1, 7, 64, 300])
def test_packed_linear_computes_the_layer_for_any_number_of_rows(slope, rows):
    gen = torch.Generator().manual_seed(0)
    linear = torch.nn.Linear(12, 9)
    x = torch.randn(rows, 12, generator=gen)
    layer = PackedLinear.of(linear, slope, rows=64)  # packed for 64 rows, used for others
    with torch.inference_mode():
        expected = linear(x)
        if slope is not None:
            expected = torch.nn.functional.leaky_relu(expected, slope)
        torch.testing.assert_close(layer(x), expected, rtol=1e-5, atol=1e-5)


@needs_onednn
def test_packed_linear_keeps_the_weight_it_was_built_with():
    linear = torch.nn.Linear(4, 3)
    x = torch.ones(2, 4)
    with torch.inference_mode():
        layer = PackedLinear.of(linear, None, rows=2)
        before = layer(x).clone()
        linear.weight.add_(1.0)
        torch.testing.assert_close(layer(x), before)


def test_onednn_rows_keep_every_float32_activation_within_one_mebibyte():
    assert onednn_rows([256, 256, 20], 2048) == 1024
    assert onednn_rows([1024, 16], 2048) == 256
    assert onednn_rows([16, 8], 5) == 5  # never more than asked for
    assert onednn_rows([2**20], 100) == 1  # at least one row


def test_the_backend_choice_is_a_cached_bool():
    first = onednn_is_faster()
    assert isinstance(first, bool)
    assert onednn_is_faster() is first
    assert onednn_is_faster.cache_info().hits >= 1


@needs_onednn
def test_calibration_says_no_when_onednn_fails_or_computes_wrongly(monkeypatch):
    def fails(self, x):
        raise RuntimeError("no kernel for this CPU")

    monkeypatch.setattr(PackedLinear, "__call__", fails)
    assert onednn_is_faster.__wrapped__() is False
    monkeypatch.setattr(PackedLinear, "__call__", lambda self, x: torch.zeros(x.shape[0], 256))
    assert onednn_is_faster.__wrapped__() is False


def test_calibration_says_no_without_the_operators(monkeypatch):
    monkeypatch.setattr(_linear, "onednn_linear_available", lambda: False)
    assert onednn_is_faster.__wrapped__() is False


def _encoder(dtype=torch.float32):
    torch.manual_seed(0)
    _, _, body = build_mlp_networks(12, 3, 4, hidden_layer_sizes=(16, 8))
    return Encoder(body.to(dtype), latent_dim=3, n_clusters=4).eval()


@pytest.mark.parametrize("use_onednn", [False, pytest.param(True, marks=needs_onednn)])
def test_buffered_encoder_uses_the_backend_the_calibration_chose(monkeypatch, use_onednn):
    monkeypatch.setattr(_mlp_trainer, "onednn_is_faster", lambda: use_onednn)
    forward = BufferedEncoder.of(_encoder(), rows=4096, n_rows=ONEDNN_MIN_ROWS)
    assert (forward.packed is not None) == use_onednn
    # oneDNN allocates its outputs: at most 1 MiB each (16 floats a row here)
    assert forward.rows == (4096 if not use_onednn else min(4096, 2**20 // (4 * 16)))
    x = torch.rand(50, 12)
    with torch.inference_mode():
        for got, expected in zip(forward(x), _encoder()(x)):
            torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-6)


def test_calls_on_fewer_rows_than_packing_pays_for_keep_the_blas(monkeypatch):
    monkeypatch.setattr(_mlp_trainer, "onednn_is_faster", lambda: True)
    assert BufferedEncoder.of(_encoder(), rows=2048, n_rows=ONEDNN_MIN_ROWS - 1).packed is None
    assert BufferedEncoder.of(_encoder(), rows=2048).packed is None  # n_rows unknown


def test_float64_encoders_never_use_onednn(monkeypatch):
    monkeypatch.setattr(_mlp_trainer, "onednn_is_faster", lambda: True)
    forward = BufferedEncoder.of(_encoder(torch.float64), rows=64, n_rows=10**6)
    assert forward.packed is None


@needs_onednn
def test_predict_and_transform_agree_across_the_two_backends(monkeypatch):
    X = np.random.default_rng(0).random((ONEDNN_MIN_ROWS + 500, 6)).astype(np.float32)
    model = ClusterGAN(
        n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), max_iter=20,
        device="cpu", random_state=0,
    ).fit(X[:300])  # fmt: skip
    calls = []
    original = PackedLinear.__call__
    monkeypatch.setattr(PackedLinear, "__call__", lambda self, x: calls.append(1) or original(self, x))
    results = {}
    for use_onednn in (False, True):
        monkeypatch.setattr(_mlp_trainer, "onednn_is_faster", lambda use=use_onednn: use)
        results[use_onednn] = model.transform(X), model.predict_proba(X), model.predict(X)
    for blas, onednn in zip(results[False][:2], results[True][:2]):
        np.testing.assert_allclose(onednn, blas, rtol=1e-5, atol=1e-6)
    # 3 methods x 3 layers x 2,048-row passes (16-wide layers: far under 1 MiB a pass)
    assert len(calls) == 3 * 3 * -(-X.shape[0] // 2048)
    agree = np.mean(results[False][2] == results[True][2])
    assert agree > 0.999  # a row may only flip where two clusters tie to float rounding


def test_inference_leaves_the_callers_grad_mode_alone_between_blocks():
    X = np.random.default_rng(0).random((300, 6)).astype(np.float32)
    model = ClusterGAN(
        n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), max_iter=5,
        device="cpu", random_state=0,
    ).fit(X)  # fmt: skip
    modes = [
        (torch.is_inference_mode_enabled(), torch.is_grad_enabled())
        for _ in model._encoded_blocks(X)
    ]
    assert modes and set(modes) == {(False, True)}
