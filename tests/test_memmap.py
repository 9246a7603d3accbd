"""Memory-mapped input: its pages are released after use, and no data is lost doing so."""

import re
from pathlib import Path

import numpy as np
import pytest

from skclustergan import ClusterGAN
from skclustergan._data import mapped_file, release_pages

STATUS = Path("/proc/self/status")


def _file_rss_mb() -> float:
    match = re.search(r"RssFile:\s+(\d+) kB", STATUS.read_text())
    if match is None:
        pytest.skip("RssFile is not reported by this kernel")
    return int(match.group(1)) / 1024


def _memmap(tmp_path, mode, rows=100_000, cols=100):
    path = tmp_path / "x.f32"
    np.random.default_rng(0).random((rows, cols), dtype=np.float32).tofile(path)
    return np.memmap(path, dtype=np.float32, mode=mode, shape=(rows, cols))


@pytest.mark.skipif(not STATUS.exists(), reason="needs Linux /proc")
def test_release_pages_drops_a_read_file_from_the_resident_set(tmp_path):
    X = _memmap(tmp_path, "r")  # 40 MB
    before = _file_rss_mb()
    float(np.asarray(X).sum())
    assert _file_rss_mb() - before > 30
    release_pages(np.asarray(X)[10:])  # a view of the memmap is enough
    assert _file_rss_mb() - before < 5


def test_copy_on_write_maps_are_never_released(tmp_path):
    X = _memmap(tmp_path, "c", rows=100)
    X[0, 0] = -1.0
    assert mapped_file(X) is None
    release_pages(X)
    assert X[0, 0] == -1.0


def test_release_keeps_changes_to_a_read_write_map(tmp_path):
    X = _memmap(tmp_path, "r+", rows=100)
    X[0, 0] = -1.0
    release_pages(X)
    assert X[0, 0] == -1.0


def test_fit_and_predict_on_a_memmap_match_the_in_memory_array(tmp_path):
    X = _memmap(tmp_path, "r", rows=300, cols=4)
    params = dict(n_clusters=3, latent_dim=2, hidden_layer_sizes=(16, 16), max_iter=20,
                  device="cpu", random_state=0)
    on_disk = ClusterGAN(**params).fit(X)
    in_memory = ClusterGAN(**params).fit(np.array(X))
    np.testing.assert_array_equal(on_disk.labels_, in_memory.labels_)
    np.testing.assert_array_equal(on_disk.predict(X), in_memory.predict(np.array(X)))
