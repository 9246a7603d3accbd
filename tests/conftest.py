import os
from pathlib import Path

import pytest
import torch

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
