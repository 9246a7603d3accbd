"""ClusterGAN.save / ClusterGAN.load (weights-only files) and pickling."""

import copy
import os
import pickle

import numpy as np
import pytest
import torch
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError

from skclustergan import ClusterGAN
from skclustergan._networks import build_mlp_networks
from skclustergan._persistence import FORMAT_VERSION

EXECUTED = []


def _record_execution(tag):
    EXECUTED.append(tag)
    return tag


class _Exploit:
    """Pickles to a call of _record_execution: loading it must not run that call."""

    def __reduce__(self):
        return _record_execution, ("executed",)


def _fast(**params):
    defaults = dict(
        n_clusters=3,
        latent_dim=2,
        hidden_layer_sizes=(16, 16),
        max_iter=40,
        batch_size=32,
        n_critic=1,
        learning_rate=5e-3,
        device="cpu",
        random_state=0,
    )
    defaults.update(params)
    return ClusterGAN(**defaults)


@pytest.fixture(scope="module")
def X():
    return make_blobs(n_samples=120, centers=3, n_features=4, random_state=0)[0]


@pytest.fixture(scope="module")
def model(X):
    return _fast().fit(X)


@pytest.fixture
def saved(model, tmp_path):
    path = tmp_path / "model.pt"
    model.save(path)
    return path


def _assert_same_model(loaded, model, X):
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(loaded.transform(X), model.transform(X))
    assert loaded.score(X) == model.score(X)
    np.testing.assert_array_equal(loaded.labels_, model.labels_)
    np.testing.assert_array_equal(loaded.cluster_centers_, model.cluster_centers_)


# ------------------------------------------------------------------ round trip
def test_loaded_model_predicts_exactly_like_the_original(model, saved, X):
    loaded = ClusterGAN.load(saved)
    _assert_same_model(loaded, model, X)
    np.testing.assert_array_equal(
        loaded.sample(10, random_state=0)[0], model.sample(10, random_state=0)[0]
    )


def test_loaded_model_has_the_same_params_and_fitted_state(model, saved):
    loaded = ClusterGAN.load(saved)
    assert loaded.get_params() == model.get_params()
    assert loaded.n_iter_ == model.n_iter_ and loaded.n_features_in_ == model.n_features_in_
    assert loaded.history_.keys() == model.history_.keys()
    for key, values in model.history_.items():
        np.testing.assert_array_equal(loaded.history_[key], values)
    assert loaded.labels_.dtype == model.labels_.dtype
    np.testing.assert_array_equal(loaded.scaling_.shift, model.scaling_.shift)
    np.testing.assert_array_equal(loaded.scaling_.scale, model.scaling_.scale)
    for name in ("generator_", "discriminator_", "encoder_"):
        net = getattr(loaded, name)
        assert not net.training
        for key, value in getattr(model, name).state_dict().items():
            assert torch.equal(net.state_dict()[key], value), (name, key)


def test_warm_start_after_load_continues_exactly_like_the_original(model, saved, X):
    loaded = ClusterGAN.load(saved).set_params(warm_start=True, max_iter=5)
    original = copy.deepcopy(model).set_params(warm_start=True, max_iter=5)
    loaded.fit(X)
    original.fit(X)
    assert loaded.n_iter_ == model.n_iter_ + 5
    np.testing.assert_array_equal(loaded.history_["critic"], original.history_["critic"])
    np.testing.assert_array_equal(loaded.transform(X), original.transform(X))


def test_feature_names_round_trip(tmp_path, X):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    model = _fast(max_iter=3).fit(frame)
    model.save(tmp_path / "named.pt")
    loaded = ClusterGAN.load(tmp_path / "named.pt")
    np.testing.assert_array_equal(loaded.feature_names_in_, model.feature_names_in_)
    assert loaded.feature_names_in_.dtype == object
    np.testing.assert_array_equal(loaded.predict(frame), model.predict(frame))


def test_set_output_configuration_round_trips(tmp_path, X):
    pd = pytest.importorskip("pandas")
    model = _fast(max_iter=3).fit(X).set_output(transform="pandas")
    model.save(tmp_path / "pandas.pt")
    out = ClusterGAN.load(tmp_path / "pandas.pt").transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["clustergan0", "clustergan1"]


def test_torch_device_parameter_is_saved_as_a_string(tmp_path, X):
    model = _fast(max_iter=3, device=torch.device("cpu")).fit(X)
    model.save(tmp_path / "device.pt")
    assert ClusterGAN.load(tmp_path / "device.pt").get_params()["device"] == "cpu"


@pytest.mark.parametrize("architecture", ["conv", "conv-small"])
def test_conv_models_round_trip_through_save_and_load(tmp_path, architecture):
    X = np.random.default_rng(0).random((40, 64))
    model = _fast(architecture=architecture, image_shape=(8, 8), max_iter=3, batch_size=8).fit(X)
    model.save(tmp_path / "conv.pt")
    loaded = ClusterGAN.load(tmp_path / "conv.pt")
    assert loaded.get_params()["architecture"] == architecture
    _assert_same_model(loaded, model, X)


def test_pickle_round_trip_gives_identical_predictions(model, X):
    _assert_same_model(pickle.loads(pickle.dumps(model)), model, X)


# ----------------------------------------------------------------- the file
def test_file_holds_only_weights_only_data(saved):
    assert torch.serialization.get_unsafe_globals_in_checkpoint(saved) == []
    payload = torch.load(saved, weights_only=True)
    assert payload["format"] == "skclustergan"
    assert payload["format_version"] == FORMAT_VERSION
    assert set(payload) >= {"params", "state_dicts", "fitted", "skclustergan_version"}


def test_save_returns_the_estimator(model, tmp_path):
    assert model.save(tmp_path / "m.pt") is model


def test_save_refuses_to_overwrite_an_existing_file(model, tmp_path):
    path = tmp_path / "existing.pt"
    path.write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        model.save(path)
    assert path.read_bytes() == b"keep me"


def test_save_with_overwrite_replaces_the_file(model, tmp_path, X):
    path = tmp_path / "existing.pt"
    path.write_bytes(b"old")
    model.save(path, overwrite=True)
    np.testing.assert_array_equal(ClusterGAN.load(path).predict(X), model.predict(X))


def test_save_leaves_no_temporary_file(model, tmp_path):
    model.save(tmp_path / "m.pt")
    assert os.listdir(tmp_path) == ["m.pt"]


def test_save_of_an_unfitted_estimator_raises_not_fitted(tmp_path):
    with pytest.raises(NotFittedError):
        ClusterGAN().save(tmp_path / "m.pt")
    assert os.listdir(tmp_path) == []


def test_save_rejects_a_callable_architecture_and_writes_nothing(tmp_path, X):
    def architecture(n_features, latent_dim, n_clusters):
        return build_mlp_networks(n_features, latent_dim, n_clusters, (8, 8))

    model = _fast(max_iter=2, architecture=architecture).fit(X)
    with pytest.raises(ValueError, match="'architecture'.*callable"):
        model.save(tmp_path / "m.pt")
    assert os.listdir(tmp_path) == []


def test_save_rejects_a_random_state_instance(tmp_path, X):
    model = _fast(max_iter=2, random_state=np.random.RandomState(0)).fit(X)
    with pytest.raises(ValueError, match="'random_state'.*RandomState"):
        model.save(tmp_path / "m.pt")


@pytest.mark.parametrize("kwargs", [dict(path=3), dict(path=None)])
def test_save_rejects_a_path_that_is_not_a_path(model, kwargs):
    with pytest.raises(TypeError, match="'path'"):
        model.save(**kwargs)


def test_save_rejects_a_non_bool_overwrite(model, tmp_path):
    with pytest.raises(TypeError, match="'overwrite'.*'yes'"):
        model.save(tmp_path / "m.pt", overwrite="yes")


@pytest.mark.parametrize("overwrite", [False, True])
def test_save_to_a_folder_says_so_and_leaves_the_folder_alone(model, tmp_path, overwrite):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep me")
    message = r"it is a folder; give a file path, e\.g\. .*model\.pt"
    with pytest.raises(IsADirectoryError, match=message):
        model.save(folder, overwrite=overwrite)
    assert os.listdir(folder) == ["keep.txt"] and sorted(os.listdir(tmp_path)) == ["models"]


def test_save_into_a_missing_folder_names_the_path_and_the_folder(model, tmp_path):
    path = tmp_path / "no-such-folder" / "m.pt"
    message = "m.pt.*the folder .*no-such-folder.* does not exist"
    with pytest.raises(FileNotFoundError, match=message):
        model.save(path)
    assert not (tmp_path / "no-such-folder").exists()


# ------------------------------------------------------------ bad files on load
def test_load_of_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.pt"):
        ClusterGAN.load(tmp_path / "missing.pt")


def test_load_never_executes_code_from_the_file(tmp_path):
    path = tmp_path / "exploit.pt"
    torch.save({"format": "skclustergan", "format_version": 1, "params": _Exploit()}, path)
    with pytest.raises(ValueError, match="exploit.pt"):
        ClusterGAN.load(path)
    assert EXECUTED == []


def test_load_of_a_foreign_torch_file_raises_value_error_naming_the_path(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"weight": torch.zeros(3)}, path)
    with pytest.raises(ValueError, match=r"weights\.pt.*not a ClusterGAN model file"):
        ClusterGAN.load(path)


def test_load_of_a_text_file_raises_value_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(ValueError, match=r"notes\.txt"):
        ClusterGAN.load(path)


def test_load_of_a_truncated_file_raises_value_error(saved):
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"model\.pt"):
        ClusterGAN.load(saved)


def test_load_of_a_newer_format_version_asks_for_an_upgrade(saved):
    payload = torch.load(saved, weights_only=True)
    payload["format_version"] = FORMAT_VERSION + 1
    torch.save(payload, saved)
    with pytest.raises(ValueError, match=rf"model\.pt.*format_version {FORMAT_VERSION + 1}.*Upgrade"):
        ClusterGAN.load(saved)


def _tamper(path, edit):
    payload = torch.load(path, weights_only=True)
    edit(payload)
    torch.save(payload, path)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda p: p["state_dicts"]["encoder_"].popitem(), id="missing-weight"),
        pytest.param(
            lambda p: p["state_dicts"]["generator_"].__setitem__("0.weight", torch.zeros(2, 2)),
            id="wrong-weight-shape",
        ),
        pytest.param(lambda p: p["params"].__setitem__("n_clusters", "three"), id="bad-param"),
        pytest.param(lambda p: p["params"].__setitem__("colour", "red"), id="unknown-param"),
        pytest.param(lambda p: p["fitted"].pop("labels_"), id="missing-labels"),
        pytest.param(lambda p: p["fitted"].__setitem__("n_features_in_", 5), id="wrong-n-features"),
        pytest.param(lambda p: p.__setitem__("format_version", "1"), id="bad-version"),
    ],
)
def test_load_of_a_tampered_file_raises_value_error_naming_the_path(saved, edit):
    _tamper(saved, edit)
    with pytest.raises(ValueError, match=r"model\.pt"):
        ClusterGAN.load(saved)


def test_load_rejects_an_unknown_device(saved):
    with pytest.raises(ValueError, match="'device'"):
        ClusterGAN.load(saved, device="tpu-9000")
