import os
from pathlib import Path

import pytest
import torch
from sklearn.datasets import make_blobs

from skclustergan import ClusterGAN

# Tests train tiny networks: one thread is fastest and keeps timings predictable.
torch.set_num_threads(1)


def _data_dir() -> Path | None:
    env = os.environ.get("SKCLUSTERGAN_DATA_DIR")
    candidate = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = _data_dir()
    if path is None:
        pytest.skip("benchmark data directory not found (set SKCLUSTERGAN_DATA_DIR)")
    return path


@pytest.fixture
def float64_default():
    """torch's default dtype float64 for one test (restored after it): comparisons of two
    computations in float64, where the prior draws in the default dtype, so that only float
    rounding separates them."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


@pytest.fixture(scope="module")
def blobs_2d():
    """Three well separated 2-D blobs (300 points)."""
    return make_blobs(
        n_samples=300, centers=3, n_features=2, cluster_std=0.3, center_box=(-8, 8), random_state=0
    )


@pytest.fixture(scope="module")
def fitted_2d(blobs_2d):
    """A small ClusterGAN fitted on ``blobs_2d``, shared by the generation and decoding tests."""
    return ClusterGAN(
        n_clusters=3,
        latent_dim=2,
        hidden_layer_sizes=(32, 32),
        max_iter=150,
        batch_size=32,
        n_critic=1,
        learning_rate=5e-3,
        scaling="minmax",
        device="cpu",
        random_state=0,
    ).fit(blobs_2d[0])


@pytest.fixture(scope="module")
def blobs_4d():
    """Three 4-D blobs (90 points), for tests of what each training iteration uses."""
    return make_blobs(n_samples=90, centers=3, n_features=4, random_state=0)[0]


@pytest.fixture
def record_optimizer_setting(monkeypatch):
    """``record(key)``: a list that receives ``param_groups[0][key]`` of the optimisers
    at each training iteration (checking that both optimisers agree)."""
    import skclustergan._training as training

    def record(key: str) -> list:
        values = []
        original = training.Trainer.train_step

        def train_step(self, data, out):
            value = self.d_optimizer.param_groups[0][key]
            assert value == self.ge_optimizer.param_groups[0][key]
            values.append(tuple(value) if isinstance(value, (tuple, list)) else value)
            original(self, data, out)

        monkeypatch.setattr(training.Trainer, "train_step", train_step)
        return values

    return record
