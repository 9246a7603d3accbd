"""Saving and loading fitted ClusterGAN models without pickle's code execution.

A model file is written by :func:`torch.save` and holds only tensors, plain
Python containers, strings and numbers::

    {"format": "skclustergan", "format_version": 1, "skclustergan_version": "0.1.0",
     "params": {...get_params()...},
     "state_dicts": {"generator_": ..., "discriminator_": ..., "encoder_": ...},
     "fitted": {"labels_": ..., "cluster_centers_": ..., "history_": ..., "n_iter_": ...,
                "n_features_in_": ..., "scaling_": {"shift": ..., "scale": ...},
                "_optimizer_state": ..., ...}}

It is read back with ``torch.load(weights_only=True)``, which refuses anything
but such data, so loading a file never runs code from it. The networks are
rebuilt from the parameters by the estimator itself and the saved weights are
loaded into them strictly.
"""

from __future__ import annotations

import os
import uuid
from numbers import Integral, Real

import numpy as np
import torch

from ._data import MinMaxScaling
from ._networks import to_device
from ._version import __version__

FORMAT = "skclustergan"
FORMAT_VERSION = 1
NETWORKS = ("generator_", "discriminator_", "encoder_")
# Private state kept with the public fitted attributes (those ending in "_").
_PRIVATE_STATE = ("_optimizer_state", "_n_features_out", "_sklearn_output_config")
_REQUIRED_FITTED = ("labels_", "cluster_centers_", "n_iter_", "n_features_in_", "scaling_")
_ARRAY, _STR_ARRAY = "__ndarray__", "__ndarray_str__"


# ------------------------------------------------------------------ encoding
def _encode(value, where: str):
    """Map fitted state to tensors / containers / str / numbers; arrays are tagged."""
    if value is None or isinstance(value, (bool, str, torch.Tensor)):
        return value.detach().cpu() if isinstance(value, torch.Tensor) else value
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return value.item()
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            return {_ARRAY: torch.from_numpy(np.array(value))}
        if value.dtype.kind in "OU" and all(isinstance(v, str) for v in value.ravel()):
            return {_STR_ARRAY: [str(v) for v in value.ravel()]}
    if isinstance(value, dict) and all(isinstance(k, (str, int)) for k in value):
        return {k: _encode(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_encode(v, f"{where}[{i}]") for i, v in enumerate(value))
    raise ValueError(
        f"ClusterGAN.save cannot store {where} of type {type(value).__name__}: only arrays, "
        "tensors, numbers, strings and containers of them can be saved."
    )


def _decode(value):
    if isinstance(value, dict):
        if set(value) == {_ARRAY}:
            return value[_ARRAY].numpy()
        if set(value) == {_STR_ARRAY}:
            return np.asarray(value[_STR_ARRAY], dtype=object)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_decode(v) for v in value)
    return value


def _plain_param(name: str, value):
    """A JSON-like copy of one constructor parameter, or a ValueError."""
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (Integral, Real)):
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(_plain_param(name, v) for v in value)
    what = "a callable" if callable(value) else f"a {type(value).__name__}"
    raise ValueError(
        f"ClusterGAN.save cannot store the {name!r} parameter: it is {what} ({value!r}), "
        "and a model file holds only numbers, strings and tuples (no code). "
        + _PARAM_HINTS.get(name, "Set it to a plain value before saving.")
    )


_PARAM_HINTS = {
    "architecture": "Save the networks' state_dicts yourself with torch.save, or use "
    "architecture='mlp' / 'conv'.",
    "random_state": "Use an int or None as random_state.",
}


def _params(estimator) -> dict:
    return {name: _plain_param(name, v) for name, v in estimator.get_params(deep=False).items()}


def _fitted_state(estimator) -> dict:
    names = [n for n in vars(estimator) if n.endswith("_") and not n.startswith("_")]
    names += [n for n in _PRIVATE_STATE if n in vars(estimator)]
    state = {}
    for name in names:
        if name in NETWORKS:
            continue
        value = getattr(estimator, name)
        if isinstance(value, MinMaxScaling):
            value = {"shift": value.shift, "scale": value.scale}
        state[name] = _encode(value, f"the fitted attribute {name!r}")
    return state


def _cpu_state_dict(module: torch.nn.Module) -> dict:
    return {k: v.detach().cpu().clone() for k, v in module.state_dict().items()}


def build_payload(estimator) -> dict:
    """Everything needed to rebuild a fitted estimator, as weights-only data."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skclustergan_version": __version__,
        "params": _params(estimator),
        "state_dicts": {name: _cpu_state_dict(getattr(estimator, name)) for name in NETWORKS},
        "fitted": _fitted_state(estimator),
    }


# ------------------------------------------------------------------- writing
def _check_path(path, caller: str) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"The 'path' parameter of ClusterGAN.{caller} must be a str or os.PathLike. "
            f"Got {path!r} of type {type(path).__name__} instead."
        )
    return os.fspath(path)


def _check_overwrite(path: str, overwrite: bool) -> None:
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(
            f"{path!r} already exists; pass overwrite=True to ClusterGAN.save to replace it."
        )


def write_atomically(payload: dict, path, overwrite: bool) -> None:
    """``torch.save`` into a temporary file next to ``path``, then rename it.

    Readers never see a partial file, and a failure leaves ``path`` untouched.
    The temporary file is created with the usual permissions (umask applies).
    """
    path = _check_path(path, "save")
    if not isinstance(overwrite, (bool, np.bool_)):
        raise TypeError(
            f"The 'overwrite' parameter of ClusterGAN.save must be a bool. Got {overwrite!r}."
        )
    if os.path.isdir(path):  # not replaced even with overwrite=True
        raise IsADirectoryError(
            f"Cannot save to {path!r}: it is a folder; give a file path, e.g. "
            f"{os.path.join(path, 'model.pt')!r}."
        )
    _check_overwrite(path, overwrite)
    directory, name = os.path.split(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"Cannot save to {path!r}: the folder {directory!r} does not exist."
        )
    tmp = os.path.join(directory, f".{name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            torch.save(payload, file)
            file.flush()
            os.fsync(file.fileno())
        _check_overwrite(path, overwrite)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ------------------------------------------------------------------- reading
def read_payload(path) -> tuple[str, dict]:
    """Load and check the header of a model file; returns ``(path, payload)``."""
    path = _check_path(path, "load")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No ClusterGAN model file at {path!r}.")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # any failure to parse means: not a valid model file
        raise ValueError(
            f"{path!r} is not a readable ClusterGAN model file (damaged, truncated, or "
            f"holding more than weights-only data): {type(exc).__name__}: {exc}"
        ) from exc
    _check_header(payload, path)
    return path, payload


def _check_header(payload, path: str) -> None:
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(
            f"{path!r} is not a ClusterGAN model file written by ClusterGAN.save "
            "(its format marker is missing)."
        )
    version = payload.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"{path!r} has an invalid format_version: {version!r}.")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"{path!r} has format_version {version} (written by skclustergan "
            f"{payload.get('skclustergan_version', '?')}); this skclustergan {__version__} "
            f"reads format_version <= {FORMAT_VERSION}. Upgrade skclustergan to load it."
        )


def rebuild(cls, payload: dict, path: str, device: torch.device):
    """A fitted ``cls`` instance from a checked payload, with its networks on ``device``."""
    try:
        return _rebuild(cls, payload, device)
    except (KeyError, TypeError, ValueError, RuntimeError, AttributeError, IndexError) as exc:
        raise ValueError(
            f"{path!r} is a damaged ClusterGAN model file (or was altered after "
            f"ClusterGAN.save wrote it): {type(exc).__name__}: {exc}"
        ) from exc


def _rebuild(cls, payload: dict, device: torch.device):
    estimator = cls(**payload["params"])
    estimator._validate_params()
    fitted = _decode(payload["fitted"])
    missing = [name for name in _REQUIRED_FITTED if name not in fitted]
    if missing:
        raise KeyError(f"missing fitted state {missing}")
    scaling = fitted.pop("scaling_")
    estimator.scaling_ = MinMaxScaling(scaling["shift"], scaling["scale"])
    for name, value in fitted.items():
        setattr(estimator, name, value)
    _check_shapes(estimator)
    networks = estimator._build_networks(int(estimator.n_features_in_), 0)
    for name, net in zip(NETWORKS, networks):
        net.load_state_dict(payload["state_dicts"][name], strict=True)
        setattr(estimator, name, to_device(net, device).eval())
    return estimator


def _check_shapes(estimator) -> None:
    n_features = estimator.n_features_in_
    if isinstance(n_features, bool) or not isinstance(n_features, int) or n_features < 1:
        raise ValueError(f"n_features_in_ is {n_features!r}")
    expected = {
        "cluster_centers_": (estimator.n_clusters, n_features),
        "scaling_.shift": (n_features,),
        "scaling_.scale": (n_features,),
    }
    found = {
        "cluster_centers_": np.shape(estimator.cluster_centers_),
        "scaling_.shift": estimator.scaling_.shift.shape,
        "scaling_.scale": estimator.scaling_.scale.shape,
    }
    for name, shape in expected.items():
        if tuple(found[name]) != shape:
            raise ValueError(f"{name} has shape {found[name]}, expected {shape}")
