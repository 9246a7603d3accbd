"""Training on the CPU flushes denormal floats to zero on the fitting thread, and
leaves the thread's setting as it found it."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch

import skclustergan._denormals as denormals
import skclustergan._training as training
from skclustergan import ClusterGAN


def _flush_mode_supported() -> bool:
    supported = torch.set_flush_denormal(True)
    torch.set_flush_denormal(False)
    return supported


pytestmark = pytest.mark.skipif(
    not _flush_mode_supported(), reason="this CPU has no flush-to-zero mode"
)


@pytest.fixture
def flush_seen_by_training_steps(monkeypatch):
    """Whether the thread flushed denormals, at each training iteration."""
    seen = []
    original = training.Trainer.train_step

    def spy(self, data, out):
        seen.append(denormals.flushing_denormals())
        return original(self, data, out)

    monkeypatch.setattr(training.Trainer, "train_step", spy)
    return seen


def _fit(X, **params):
    return ClusterGAN(
        n_clusters=3, latent_dim=2, hidden_layer_sizes=(8, 8), batch_size=16, max_iter=3,
        device="cpu", random_state=0, **params,
    ).fit(X)  # fmt: skip


def test_flushing_denormals_reports_the_threads_mode():
    assert not denormals.flushing_denormals()
    torch.set_flush_denormal(True)
    try:
        assert denormals.flushing_denormals()
    finally:
        torch.set_flush_denormal(False)
    assert not denormals.flushing_denormals()


@pytest.mark.parametrize("architecture", ["mlp", "autograd-steps"])
def test_training_steps_flush_denormals_and_fit_restores_the_mode(
    blobs_4d, flush_seen_by_training_steps, architecture
):
    # "autograd-steps": the generic Trainer (the conv nets' path), via the standard GAN loss
    params = {"adversarial_loss": "standard"} if architecture == "autograd-steps" else {}
    _fit(blobs_4d, **params)
    assert flush_seen_by_training_steps == [True, True, True]
    assert not denormals.flushing_denormals()


def test_fit_keeps_a_flush_mode_the_caller_set(blobs_4d, flush_seen_by_training_steps):
    torch.set_flush_denormal(True)
    try:
        _fit(blobs_4d)
        assert denormals.flushing_denormals()
    finally:
        torch.set_flush_denormal(False)
    assert flush_seen_by_training_steps == [True, True, True]


def test_flush_denormals_leaves_other_devices_alone():
    with denormals.flush_denormals(torch.device("meta")):
        assert not denormals.flushing_denormals()


_TWO_THREADS = """
import torch
from skclustergan._denormals import flush_denormals
torch.set_num_threads(2)
tiny = torch.finfo(torch.float32).tiny

def flushed_share():  # large enough that both threads compute part of it
    return float((torch.full((1_000_000,), tiny).mul(0.5) == 0).float().mean())

before = flushed_share()
with flush_denormals(torch.device("cpu")):
    inside = flushed_share()
print(before, inside, flushed_share())
"""


@pytest.mark.skipif(
    denormals._openmp_parallel() is None, reason="torch's OpenMP runtime not reachable"
)
def test_flush_covers_torchs_worker_threads_and_is_undone_on_them():
    result = subprocess.run(
        [sys.executable, "-c", _TWO_THREADS], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    before, inside, after = map(float, result.stdout.split())
    assert (before, inside, after) == (0.0, 1.0, 0.0)
