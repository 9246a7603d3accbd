"""Tests for skclustergan.datasets."""

import gzip
import hashlib
import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from skclustergan.datasets import (
    load_dataset,
    load_digits_scaled,
    load_fashion_mnist,
    load_mnist,
    load_pendigits,
    make_linear_mixture,
)


def _shared_data_dir() -> Path:
    env = os.environ.get("SKCLUSTERGAN_DATA_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def data_dir() -> Path:
    path = _shared_data_dir()
    if not (path / "SHA256SUMS").is_file():
        pytest.skip(f"benchmark data not available at {path}")
    return path


def _idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">HBB", 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def _write_gz(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as handle:
        handle.write(payload)


def _write_tiny_mnist(folder: Path, prefix: str, n: int, seed: int = 0):
    rng = np.random.RandomState(seed)
    images = rng.randint(0, 256, size=(n, 28, 28)).astype(np.uint8)
    labels = rng.randint(0, 10, size=n).astype(np.uint8)
    _write_gz(folder / f"{prefix}-images-idx3-ubyte.gz", _idx_bytes(images))
    _write_gz(folder / f"{prefix}-labels-idx1-ubyte.gz", _idx_bytes(labels))
    return images, labels


# --------------------------------------------------------------------------
# make_linear_mixture
# --------------------------------------------------------------------------


def test_linear_mixture_has_requested_shapes_and_dtypes():
    X, y = make_linear_mixture(
        n_samples=50, n_clusters=3, latent_dim=2, n_features=7, random_state=0
    )
    assert X.shape == (50, 7) and X.dtype == np.float64
    assert y.shape == (50,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1, 2}


def test_linear_mixture_is_deterministic_for_fixed_seed():
    X1, y1 = make_linear_mixture(n_samples=100, random_state=42)
    X2, y2 = make_linear_mixture(n_samples=100, random_state=42)
    X3, _ = make_linear_mixture(n_samples=100, random_state=43)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)


def test_linear_mixture_with_int_seed_does_not_touch_global_rng():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    make_linear_mixture(n_samples=20, random_state=7)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_linear_mixture_cluster_covariance_has_rank_latent_dim():
    X, y = make_linear_mixture(
        n_samples=400, n_clusters=2, latent_dim=3, n_features=20, random_state=0
    )
    cluster = X[y == 0]
    assert np.linalg.matrix_rank(cluster - cluster.mean(axis=0), tol=1e-8) == 3


def test_kmeans_recovers_linear_mixture_at_default_settings():
    X, y = make_linear_mixture(n_samples=300, random_state=0)
    labels = KMeans(n_clusters=10, n_init=10, random_state=0).fit_predict(X)
    assert adjusted_rand_score(y, labels) > 0.95


@pytest.mark.parametrize(
    "kwargs, name, error",
    [
        ({"n_samples": 0}, "n_samples", ValueError),
        ({"n_clusters": 0}, "n_clusters", ValueError),
        ({"latent_dim": 0}, "latent_dim", ValueError),
        ({"n_features": -1}, "n_features", ValueError),
        ({"n_samples": 2.5}, "n_samples", TypeError),
        ({"n_clusters": True}, "n_clusters", TypeError),
        ({"latent_dim": "3"}, "latent_dim", TypeError),
        ({"sigma": -0.1}, "sigma", ValueError),
        ({"sigma": float("nan")}, "sigma", ValueError),
        ({"sigma": "0.1"}, "sigma", TypeError),
        ({"separation": 0.0}, "separation", ValueError),
        ({"separation": None}, "separation", TypeError),
        ({"random_state": "x"}, "random_state", TypeError),
        ({"random_state": 1.5}, "random_state", TypeError),
        ({"random_state": -1}, "random_state", ValueError),
        ({"random_state": 2**32}, "random_state", ValueError),
    ],
)
def test_linear_mixture_rejects_invalid_parameters_naming_them(kwargs, name, error):
    value = repr(next(iter(kwargs.values())))
    with pytest.raises(error, match=name) as info:
        make_linear_mixture(**kwargs)
    assert value in str(info.value)


def test_linear_mixture_accepts_a_random_state_instance():
    first = make_linear_mixture(50, random_state=np.random.RandomState(3))
    second = make_linear_mixture(50, random_state=np.random.RandomState(3))
    np.testing.assert_array_equal(first[0], second[0])


# --------------------------------------------------------------------------
# Real-data loaders on the shared data directory
# --------------------------------------------------------------------------


def test_pendigits_loads_all_rows_from_shared_data(data_dir):
    X, y = load_pendigits(data_dir)
    assert X.shape == (10992, 16) and X.dtype == np.float32
    assert y.shape == (10992,) and y.dtype == np.int64
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert set(np.unique(y)) == set(range(10))


def test_pendigits_train_subset_has_7494_rows(data_dir):
    X, y = load_pendigits(data_dir, subset="train")
    assert X.shape == (7494, 16) and y.shape == (7494,)


def test_pendigits_accepts_the_dataset_folder_itself(data_dir):
    X, _ = load_pendigits(data_dir / "pendigits", subset="test")
    assert X.shape == (3498, 16)


def test_mnist_test_subset_loads_from_shared_data(data_dir):
    X, y = load_mnist(data_dir, subset="test")
    assert X.shape == (10000, 784) and X.dtype == np.float32
    assert y.shape == (10000,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0


@pytest.mark.slow
def test_mnist_and_fashion_mnist_load_all_70000_images(data_dir):
    for loader in (load_mnist, load_fashion_mnist):
        X, y = loader(data_dir)
        assert X.shape == (70000, 784) and y.shape == (70000,)
        assert np.bincount(y).size == 10


def test_load_dataset_reads_data_dir_from_environment(data_dir, monkeypatch):
    monkeypatch.setenv("SKCLUSTERGAN_DATA_DIR", str(data_dir))
    X, y = load_dataset("pendigits", subsample=500, random_state=0)
    assert X.shape == (500, 16) and y.shape == (500,)


# --------------------------------------------------------------------------
# Checksums and missing files
# --------------------------------------------------------------------------


def test_corrupted_file_raises_checksum_value_error(data_dir, tmp_path):
    shutil.copy(data_dir / "SHA256SUMS", tmp_path / "SHA256SUMS")
    (tmp_path / "pendigits").mkdir()
    target = tmp_path / "pendigits" / "pendigits.tes"
    shutil.copy(data_dir / "pendigits" / "pendigits.tes", target)
    target.chmod(0o644)
    content = bytearray(target.read_bytes())
    content[100] ^= 0x01
    target.write_bytes(bytes(content))
    got = hashlib.sha256(bytes(content)).hexdigest()

    with pytest.raises(ValueError, match="checksum mismatch") as info:
        load_pendigits(tmp_path, subset="test")
    message = str(info.value)
    assert "pendigits.tes" in message
    assert "8bd03229c5c5291fefe43e45465dd948d2645bf23328b9d993e0b777666b2015" in message
    assert got in message


def test_missing_file_raises_file_not_found_naming_path(tmp_path):
    (tmp_path / "pendigits").mkdir()
    (tmp_path / "pendigits" / "pendigits.tra").write_text("0," * 16 + "1\n")
    with pytest.raises(FileNotFoundError, match="Pendigits.*pendigits.tes"):
        load_pendigits(tmp_path, verify=False)


def test_missing_dataset_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="MNIST"):
        load_mnist(tmp_path, verify=False)


def test_missing_checksum_list_raises_error_suggesting_verify_false(tmp_path):
    _write_tiny_mnist(tmp_path / "mnist", "t10k", n=2)
    with pytest.raises(FileNotFoundError, match="verify=False"):
        load_mnist(tmp_path, subset="test")


def test_checksum_list_in_dataset_folder_verifies_tiny_files(tmp_path):
    folder = tmp_path / "mnist"
    _write_tiny_mnist(folder, "t10k", n=3)
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
        for p in sorted(folder.iterdir())
    ]
    (folder / "SHA256SUMS").write_text("".join(lines))
    X, _ = load_mnist(folder, subset="test", verify=True)
    assert X.shape == (3, 784)


# --------------------------------------------------------------------------
# IDX parsing
# --------------------------------------------------------------------------


def test_tiny_idx_files_parse_correctly(tmp_path):
    images, labels = _write_tiny_mnist(tmp_path / "mnist", "train", n=4, seed=1)
    test_images, test_labels = _write_tiny_mnist(tmp_path / "mnist", "t10k", n=2, seed=2)

    X, y = load_mnist(tmp_path, subset="train", verify=False)
    assert X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_allclose(X, images.reshape(4, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(y, labels)

    X_all, y_all = load_mnist(tmp_path, subset="all", verify=False)
    assert X_all.shape == (6, 784)
    np.testing.assert_array_equal(y_all, np.concatenate([labels, test_labels]))


def test_fashion_mnist_reads_its_own_folder(tmp_path):
    _write_tiny_mnist(tmp_path / "fashion-mnist", "t10k", n=2)
    X, _ = load_fashion_mnist(tmp_path, subset="test", verify=False)
    assert X.shape == (2, 784)


def _corrupt_images(folder: Path, payload: bytes, compress: bool = True) -> None:
    path = folder / "t10k-images-idx3-ubyte.gz"
    if compress:
        _write_gz(path, payload)
    else:
        path.write_bytes(payload)


@pytest.mark.parametrize(
    "case",
    ["bad_magic", "truncated_data", "wrong_ndim", "truncated_gzip", "label_count"],
)
def test_malformed_idx_raises_value_error(tmp_path, case):
    folder = tmp_path / "mnist"
    images, _ = _write_tiny_mnist(folder, "t10k", n=3)
    good = _idx_bytes(images)
    if case == "bad_magic":
        _corrupt_images(folder, b"\x12\x34" + good[2:])
    elif case == "truncated_data":
        _corrupt_images(folder, good[:-10])
    elif case == "wrong_ndim":
        _corrupt_images(folder, _idx_bytes(images.reshape(3, 784)))
    elif case == "truncated_gzip":
        compressed = gzip.compress(good)
        _corrupt_images(folder, compressed[: len(compressed) // 2], compress=False)
    else:
        _write_gz(folder / "t10k-labels-idx1-ubyte.gz", _idx_bytes(np.zeros(2, np.uint8)))
    with pytest.raises(ValueError, match="t10k"):
        load_mnist(tmp_path, subset="test", verify=False)


@pytest.mark.parametrize("loader", [load_mnist, load_fashion_mnist, load_pendigits])
@pytest.mark.parametrize("data_dir", [None, 3, b"data"])
def test_data_dir_of_the_wrong_type_raises_type_error_naming_it(loader, data_dir):
    with pytest.raises(TypeError, match=r"data_dir must be a str or os\.PathLike, got"):
        loader(data_dir)


@pytest.mark.parametrize("loader", [load_mnist, load_fashion_mnist, load_pendigits])
def test_verify_that_is_not_a_bool_raises_type_error_naming_it(loader, tmp_path):
    with pytest.raises(TypeError, match="verify must be a bool, got 'yes'"):
        loader(tmp_path, verify="yes")


@pytest.mark.parametrize("name", ["digits", "pendigits"])
def test_load_dataset_checks_data_dir_and_verify_types_for_every_data_set(name):
    with pytest.raises(TypeError, match="data_dir must be a str or os.PathLike, got 3"):
        load_dataset(name, data_dir=3)
    with pytest.raises(TypeError, match="verify must be a bool, got 'no'"):
        load_dataset(name, verify="no")


def test_invalid_subset_raises_value_error(tmp_path):
    with pytest.raises(ValueError, match="subset"):
        load_pendigits(tmp_path, subset="validation", verify=False)


@pytest.mark.parametrize("content", ["1,2,3\n4,5,6\n", "", "a,b\n", ("0," * 16) + "12\n"])
def test_malformed_pendigits_raises_value_error(tmp_path, content):
    (tmp_path / "pendigits").mkdir()
    (tmp_path / "pendigits" / "pendigits.tes").write_text(content)
    with pytest.raises(ValueError, match="pendigits.tes"):
        load_pendigits(tmp_path, subset="test", verify=False)


# --------------------------------------------------------------------------
# Bundled digits and load_dataset
# --------------------------------------------------------------------------


def test_digits_are_scaled_to_unit_interval():
    X, y = load_digits_scaled()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0


def test_load_dataset_subsamples_without_replacement_reproducibly():
    X1, y1 = load_dataset("digits", subsample=200, random_state=0)
    X2, _ = load_dataset("digits", subsample=200, random_state=0)
    assert X1.shape == (200, 64) and y1.shape == (200,)
    np.testing.assert_array_equal(X1, X2)
    X_full, _ = load_digits_scaled()
    rows = {row.tobytes() for row in X_full}
    assert all(row.tobytes() in rows for row in X1)


def test_load_dataset_returns_everything_when_subsample_exceeds_size():
    X, _ = load_dataset("digits", subsample=10_000)
    assert X.shape == (1797, 64)


def test_load_dataset_synthetic_is_seeded():
    X1, y1 = load_dataset("synthetic", random_state=3)
    X2, y2 = load_dataset("synthetic", random_state=3)
    assert X1.shape == (1000, 100)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_load_dataset_rejects_unknown_name():
    with pytest.raises(ValueError, match="cifar"):
        load_dataset("cifar")


def test_load_dataset_rejects_invalid_subsample():
    with pytest.raises(ValueError, match="subsample"):
        load_dataset("digits", subsample=0)
    with pytest.raises(TypeError, match=r"subsample.*2\.5 \(float\)"):
        load_dataset("digits", subsample=2.5)


@pytest.mark.parametrize("random_state, error", [("x", TypeError), (-2, ValueError)])
def test_load_dataset_names_a_bad_random_state(random_state, error):
    with pytest.raises(error, match=r"'random_state' parameter of load_dataset.*Got"):
        load_dataset("digits", subsample=10, random_state=random_state)


def test_load_dataset_without_data_dir_raises_value_error(monkeypatch):
    monkeypatch.delenv("SKCLUSTERGAN_DATA_DIR", raising=False)
    with pytest.raises(ValueError, match="SKCLUSTERGAN_DATA_DIR"):
        load_dataset("mnist")
