"""Command line interface: ``skclustergan {fit,predict,sample,demo}``.

Examples
--------
.. code-block:: console

    $ skclustergan fit data.csv -k 3 --labels-out labels.csv --model-out model.pt
    $ skclustergan predict model.pt new.csv --labels-out new_labels.csv --proba-out proba.csv
    $ skclustergan sample model.pt -n 100 --cluster 2 -o samples.csv
    $ skclustergan demo --out results/

Data files are CSV (``.csv``, ``.tsv``; a first row with a non-numeric cell is
a header), ``.npy`` or ``.npz`` (first array, or ``--npz-key``). Errors are
reported as one line ``skclustergan: error: ...`` on stderr with exit status 2.
No output file is overwritten without ``--force``, and every output is written
to a temporary file in the target directory first, then moved into place.

Progress of ``fit``: the model is trained in chunks of ``max_iter``
iterations with ``warm_start=True`` (the optimiser state carries over and the
learning rate schedule spans all chunks, so this is one continuous training
run) and the progress display is updated between
chunks: a single updating line on a terminal, one line per ~10 % otherwise.
Each chunk re-seeds the minibatch stream from ``random_state`` and the
iteration count, so a seeded CLI fit is reproducible run to run, but equals
``ClusterGAN(random_state=...).fit(X)`` bit for bit only with
``--no-progress`` (one single ``fit`` call). The price of chunking is one
extra pass of the encoder over the data per chunk (``labels_``), at most 100
passes per fit.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
import uuid
import warnings
import zipfile
from collections.abc import Callable, Sequence
from numbers import Integral
from pathlib import Path
from typing import TextIO

import numpy as np

from ._estimator import ClusterGAN, resolve_device
from ._version import __version__

__all__ = ["main"]  # the rest of this module is the command line's own machinery

PROG = "skclustergan"
# The demo's budget: the digits budget of the benchmarks (about 1.5 minutes of a 2-core CPU).
DEMO_MAX_ITER = 20000
_CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
_DATA_EXTENSIONS = (*_CSV_DELIMITERS, ".npy", ".npz")
_TTY_CHUNKS = 100
_PIPE_CHUNKS = 10
_DEMO_SAMPLES_PER_CLUSTER = 4


class CLIError(Exception):
    """An error reported to the user as one line, with exit status 2."""


def _one_line(exc: BaseException) -> str:
    """The message of ``exc`` on a single line."""
    return " ".join(str(exc).split()) or type(exc).__name__


# ---------------------------------------------------------------------------
# Reading data
# ---------------------------------------------------------------------------
def read_data(
    path: str | os.PathLike, npz_key: str | None = None, header: str = "auto"
) -> tuple[np.ndarray, list[str] | None]:
    """Read a 2-D numeric matrix from a CSV, ``.npy`` or ``.npz`` file.

    Parameters
    ----------
    path : str or path-like
        The data file; its extension selects the format.
    npz_key : str, default=None
        Array to read from a ``.npz`` file; its first array when None.
    header : {"auto", "yes", "no"}, default="auto"
        Whether the first row of a CSV file is a header. ``"auto"``: it is when
        one of its cells is not a number.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), dtype float64 or float32
        The data; float32 arrays stay float32.
    columns : list of str or None
        The CSV header, when there is one.

    Raises
    ------
    CLIError
        Missing, empty or malformed file, unknown extension, non-finite values.
    """
    path = Path(path)
    _check_readable(path)
    suffix = path.suffix.lower()
    if suffix not in _DATA_EXTENSIONS:
        raise CLIError(
            f"{path}: unknown data file extension {path.suffix!r}; "
            f"use one of {', '.join(_DATA_EXTENSIONS)}"
        )
    if suffix in _CSV_DELIMITERS:
        return _read_csv(path, _CSV_DELIMITERS[suffix], header)
    array = _read_npy(path) if suffix == ".npy" else _read_npz(path, npz_key)
    return _check_array(array, path), None


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise CLIError(f"{path}: no such file")
    if not path.is_file():
        raise CLIError(f"{path}: not a regular file")
    if path.stat().st_size == 0:
        raise CLIError(f"{path}: the file is empty")


def _read_csv(path: Path, delimiter: str, header: str) -> tuple[np.ndarray, list[str] | None]:
    rows = _csv_rows(path, delimiter)
    if not rows:
        raise CLIError(f"{path}: the file is empty (no rows)")
    columns, first_line = None, rows[0][0]
    if header == "yes" or (header == "auto" and not _all_numeric(rows[0][1])):
        columns = [cell.strip() for cell in rows[0][1]]
        rows = rows[1:]
        if not rows:
            raise CLIError(f"{path}: the file has a header but no data rows")
    return _csv_matrix(path, rows, columns, first_line), columns


def _csv_rows(path: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows of a CSV file as ``(line number, cells)``."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f, delimiter=delimiter)
            return [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except UnicodeDecodeError:
        raise CLIError(f"{path}: not a UTF-8 text file; is it really a CSV file?") from None
    except csv.Error as exc:
        raise CLIError(f"{path}: malformed CSV: {_one_line(exc)}") from None


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _all_numeric(cells: Sequence[str]) -> bool:
    return all(_is_number(cell) for cell in cells)


def _csv_matrix(
    path: Path, rows: list[tuple[int, list[str]]], columns: list[str] | None, first_line: int
) -> np.ndarray:
    width = len(columns) if columns is not None else len(rows[0][1])
    for line, cells in rows:
        if len(cells) != width:
            raise CLIError(
                f"{path}: ragged rows: line {line} has {len(cells)} field(s), expected {width} "
                f"(as in line {first_line})"
            )
    try:
        X = np.array([cells for _, cells in rows], dtype=np.float64)
    except ValueError:
        _raise_first_bad_cell(path, rows, columns)
    return _check_finite(X, path, lambda i, j: _cell_name(rows[i][0], j, columns))


def _cell_name(line: int, column: int, columns: list[str] | None) -> str:
    name = f" ({columns[column]!r})" if columns and columns[column] else ""
    return f"line {line}, column {column + 1}{name}"


def _raise_first_bad_cell(
    path: Path, rows: list[tuple[int, list[str]]], columns: list[str] | None
) -> None:
    for line, cells in rows:
        for j, cell in enumerate(cells):
            if not _is_number(cell):
                what = "empty cell" if not cell.strip() else f"{cell!r} is not a number"
                raise CLIError(f"{path}: {_cell_name(line, j, columns)}: {what}")
    raise CLIError(f"{path}: could not parse the numbers")  # pragma: no cover


def _read_npy(path: Path) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise CLIError(f"{path}: not a valid .npy file ({_one_line(exc)})") from None


def _read_npz(path: Path, key: str | None) -> np.ndarray:
    try:
        with np.load(path, allow_pickle=False) as archive:
            names = list(archive.files)
            if not names:
                raise CLIError(f"{path}: the .npz archive holds no arrays")
            if key is not None and key not in names:
                raise CLIError(
                    f"{path}: no array named {key!r} in the archive; it holds {', '.join(names)}"
                )
            return archive[key if key is not None else names[0]]
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise CLIError(f"{path}: not a valid .npz file ({_one_line(exc)})") from None


def _check_array(array: np.ndarray, path: Path) -> np.ndarray:
    if array.dtype.kind not in "biuf":
        raise CLIError(f"{path}: expected a numeric array, got dtype {array.dtype}")
    if array.ndim != 2:
        raise CLIError(
            f"{path}: expected a 2-D array (n_samples, n_features), got shape {array.shape}; "
            "flatten images to rows and pass --image-shape"
        )
    if array.size == 0:
        raise CLIError(f"{path}: the array is empty (shape {array.shape})")
    dtype = np.float32 if array.dtype == np.float32 else np.float64
    return _check_finite(array.astype(dtype, copy=False), path, lambda i, j: f"element [{i}, {j}]")


def _check_finite(X: np.ndarray, path: Path, name: Callable[[int, int], str]) -> np.ndarray:
    bad = np.argwhere(~np.isfinite(X))
    if len(bad):
        i, j = (int(v) for v in bad[0])
        raise CLIError(
            f"{path}: {name(i, j)}: value {X[i, j]} is not finite "
            "(missing values are not supported)"
        )
    return X


# ---------------------------------------------------------------------------
# Writing outputs
# ---------------------------------------------------------------------------
def check_outputs(paths: dict[str, str | None], force: bool) -> None:
    """Fail early when an output would overwrite a file (without --force) or cannot be written.

    Parameters
    ----------
    paths : dict of str to str or None
        Option name (for messages) to output path; None entries are skipped.
    force : bool
        Whether existing files may be overwritten.
    """
    seen: dict[Path, str] = {}
    for option, value in paths.items():
        if value is None:
            continue
        path = Path(value)
        resolved = path.resolve()
        if resolved in seen:
            raise CLIError(f"{option} and {seen[resolved]} name the same file {path}")
        seen[resolved] = option
        if path.is_dir():
            raise CLIError(f"{option} {path} is a directory")
        if not path.parent.is_dir():
            raise CLIError(f"{option} {path}: directory {path.parent} does not exist")
        if path.exists() and not force:
            raise CLIError(f"{path} already exists; pass --force to overwrite it")


def _commit(tmp: Path, path: Path, force: bool) -> None:
    """Move the finished temporary file ``tmp`` to ``path`` atomically."""
    try:
        if force:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # atomic "create only if absent"
        except FileExistsError:
            raise CLIError(f"{path} already exists; pass --force to overwrite it") from None
        except OSError:  # no hard links on this file system
            if path.exists():
                raise CLIError(f"{path} already exists; pass --force to overwrite it") from None
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike, write: Callable[[Path], None], force: bool) -> None:
    """Write ``path`` through a temporary file in its directory, then move it into place.

    Parameters
    ----------
    path : str or path-like
        Destination.
    write : callable
        Called with the temporary path; writes the whole content there.
    force : bool
        Whether an existing ``path`` may be replaced.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # umask applies
    try:
        write(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _commit(tmp, path, force)


def write_csv(
    path: str | os.PathLike, header: Sequence[str], data: np.ndarray, fmt: str, force: bool
) -> None:
    """Write a header line and the rows of ``data`` as CSV, atomically.

    Parameters
    ----------
    path : str or path-like
        Destination.
    header : sequence of str
        Column names.
    data : ndarray of shape (n_rows,) or (n_rows, n_columns)
        Values.
    fmt : str
        Format specification of one value, e.g. ``"d"`` or ``".6g"``.
    force : bool
        Whether an existing ``path`` may be replaced.
    """
    data = np.asarray(data).reshape(len(data), -1)

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows([format(v, fmt) for v in row] for row in data.tolist())

    write_atomic(path, write, force)


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
def load_model(path: str | os.PathLike, device: str = "cpu") -> ClusterGAN:
    """Load a model written by ``skclustergan fit --model-out`` (:meth:`ClusterGAN.load`).

    Raises
    ------
    CLIError
        Missing file, unusable device, or a file that is not a skclustergan model.
    """
    path = Path(path)
    _check_readable(path)
    try:
        resolve_device(device)
    except ValueError as exc:
        raise CLIError(_one_line(exc)) from None
    try:
        model = ClusterGAN.load(path, device=device)
    except Exception as exc:  # any failure means: not a model file we can use
        raise CLIError(f"cannot load the model: {_one_line(exc)}") from None
    if not isinstance(model, ClusterGAN):  # pragma: no cover - load returns cls
        raise CLIError(f"{path}: not a skclustergan model file")
    return model


def save_model(model: ClusterGAN, path: str | os.PathLike, force: bool) -> None:
    """Save ``model`` with :meth:`ClusterGAN.save` (which writes atomically)."""
    try:
        model.save(path, overwrite=force)
    except FileExistsError:
        raise CLIError(f"{path} already exists; pass --force to overwrite it") from None
    except ValueError as exc:
        raise CLIError(f"cannot save the model: {_one_line(exc)}") from None


def check_n_features(model: ClusterGAN, X: np.ndarray, data_path: str) -> None:
    """Raise CLIError unless X has as many columns as the model was fitted on."""
    expected = model.n_features_in_
    if X.shape[1] != expected:
        raise CLIError(
            f"{data_path} has {X.shape[1]} features per row, but the model was fitted on "
            f"{expected}"
        )


# ---------------------------------------------------------------------------
# Fitting with a progress display
# ---------------------------------------------------------------------------
def _format_seconds(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes = f"{rest // 60:02d}:{rest % 60:02d}"
    return f"{hours}:{minutes}" if hours else minutes


class Progress:
    """Progress of ``total`` iterations on a stream.

    On a terminal: one line rewritten in place (``\\r``) with a bar, the
    iteration, percentage, elapsed time and ETA. Otherwise: one plain line per
    update (the caller updates about every 10 %).

    Parameters
    ----------
    total : int
        Number of iterations.
    stream : file-like
        Where to write (standard error).
    label : str, default="fit"
        Prefix of each line.
    """

    width = 24

    def __init__(self, total: int, stream: TextIO, label: str = "fit") -> None:
        self.total, self.stream, self.label = total, stream, label
        self.tty = _isatty(stream)
        self.start = time.perf_counter()

    def line(self, done: int) -> str:
        """The progress text after ``done`` iterations."""
        elapsed = time.perf_counter() - self.start
        eta = elapsed / done * (self.total - done) if done else float("nan")
        eta_text = _format_seconds(eta) if math.isfinite(eta) else "--:--"
        text = (
            f"iteration {done}/{self.total} ({100 * done / self.total:3.0f}%), "
            f"elapsed {_format_seconds(elapsed)}, ETA {eta_text}"
        )
        if self.tty:
            filled = round(self.width * done / self.total)
            return f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {text}"
        return f"{self.label}: {text}"

    def update(self, done: int) -> None:
        """Show the state after ``done`` iterations."""
        end = "" if self.tty else "\n"
        self.stream.write(("\r" if self.tty else "") + self.line(done) + end)
        self.stream.flush()

    def close(self) -> None:
        """End the updating line on a terminal."""
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _fit_quietly(model: ClusterGAN, X: np.ndarray) -> None:
    """``model.fit(X)`` without the estimator's warning about Ctrl-C (the CLI reports it)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ClusterGAN.fit was interrupted", RuntimeWarning)
        model.fit(X)


def fit_with_progress(model: ClusterGAN, X: np.ndarray, stream: TextIO | None) -> bool:
    """Fit ``model`` on X in warm-started chunks, reporting progress to ``stream``.

    Parameters
    ----------
    model : ClusterGAN
        Unfitted estimator; its ``max_iter`` is the total budget. On return its
        parameters are as given (``warm_start`` restored).
    X : ndarray of shape (n_samples, n_features)
        Training data.
    stream : file-like or None
        Progress destination; None fits in one call without progress.

    Returns
    -------
    completed : bool
        False when training was interrupted (Ctrl-C); the model then holds the
        networks of the last complete iteration.
    """
    total, warm_start = model.max_iter, model.warm_start
    chunkable = isinstance(total, Integral) and not isinstance(total, bool) and total >= 1
    if not chunkable:  # one plain fit, whose parameter validation names max_iter
        stream = None
    if stream is None or model.n_init > 1:
        if stream is not None:  # restarts cannot be split into warm-started chunks
            stream.write(f"training {model.n_init} restarts of {total} iterations each\n")
            stream.flush()
        _fit_quietly(model, X)
        # a Ctrl-C stops the running restart and starts no further one (NaN score)
        return model.n_iter_ == total and not np.isnan(model.init_scores_).any()
    progress = Progress(total, stream)
    chunk = math.ceil(total / (_TTY_CHUNKS if progress.tty else _PIPE_CHUNKS))
    if progress.tty:
        progress.update(0)
    done = 0
    try:
        while done < total:
            expected = min(done + chunk, total)
            model.set_params(max_iter=expected - done, warm_start=done > 0)
            model._schedule_span = (done, total)  # one learning rate schedule for all chunks
            _fit_quietly(model, X)
            done = model.n_iter_
            progress.update(done)
            if done < expected:
                break  # Ctrl-C: the estimator stopped after a complete iteration
    finally:
        progress.close()
        model.set_params(max_iter=total, warm_start=warm_start)
        model.__dict__.pop("_schedule_span", None)
    return done == total


# ---------------------------------------------------------------------------
# Argument parsing
# ---------------------------------------------------------------------------
def _estimator_defaults() -> dict:
    return ClusterGAN().get_params()


def _add_estimator_options(parser: argparse.ArgumentParser) -> None:
    """Options mirroring ClusterGAN's parameters; defaults are the estimator's."""
    d = _estimator_defaults()
    group = parser.add_argument_group("ClusterGAN parameters (defaults are the estimator's)")
    add = group.add_argument
    add("--latent-dim", type=int, default=d["latent_dim"], metavar="N",
        help="dimension of the continuous latent code z_n (default: %(default)s)")
    add("--sigma", type=float, default=d["sigma"],
        help="standard deviation of z_n (default: %(default)s)")
    add("--beta-n", type=float, default=d["beta_n"],
        help="weight of the z_n recovery loss (default: %(default)s)")
    add("--beta-c", type=float, default=d["beta_c"],
        help="weight of the cluster recovery loss (default: %(default)s)")
    add("--adversarial-loss", choices=("wasserstein-gp", "standard"),
        default=d["adversarial_loss"], help="critic objective (default: %(default)s)")
    add("--gp-weight", type=float, default=d["gp_weight"],
        help="gradient penalty weight (default: %(default)s)")
    add("--n-critic", type=int, default=d["n_critic"], metavar="N",
        help="critic updates per generator update (default: %(default)s)")
    add("--learning-rate", type=_float_or_auto, default=d["learning_rate"],
        help="Adam learning rate, or auto: 2e-3 for the conv nets, 5e-4 otherwise "
        "(default: %(default)s)")
    add("--learning-rate-schedule", choices=("auto", "linear", "constant"),
        default=d["learning_rate_schedule"],
        help="linear decay towards 0 over the fit, or constant; auto: linear for the conv "
        "nets, constant otherwise (default: %(default)s)")
    add("--adam-betas", nargs="+", action=_AdamBetas, default=d["adam_betas"],
        metavar="B", help="Adam's beta1 and beta2 for all three networks, or auto: 0 0.9 "
        "for the conv nets, the paper's 0.5 0.9 otherwise (default: %(default)s)")
    add("--batch-size", type=int, default=d["batch_size"], metavar="N",
        help="minibatch size (default: %(default)s)")
    add("--reuse-fakes", type=_bool_or_auto, default=d["reuse_fakes"], metavar="{auto,yes,no}",
        help="train G and E on the last critic step's generated batch instead of a new one "
        "(one generator pass fewer per iteration); auto: yes for the conv nets, no otherwise "
        "(default: %(default)s)")
    add("--max-iter", type=int, default=d["max_iter"], metavar="N",
        help="generator iterations (default: %(default)s)")
    add("--architecture", choices=("auto", "mlp", "conv", "conv-small"),
        default=d["architecture"],
        help="networks (default: %(default)s: conv when --image-shape is given)")
    add("--hidden-layer-sizes", type=int, nargs="+", default=d["hidden_layer_sizes"],
        metavar="N", help="hidden layer widths of the MLP nets (default: %(default)s)")
    add("--image-shape", type=int, nargs="+", default=d["image_shape"], metavar="N",
        help="C H W (or H W) when each row is a flattened image (default: %(default)s)")
    add("--scaling", choices=("auto", "minmax", "global", "none"), default=d["scaling"],
        help="input scaling (default: %(default)s)")
    add("--output-activation", choices=("auto", "sigmoid", "linear"),
        default=d["output_activation"], help="last activation of G (default: %(default)s)")
    _add_device(group, d["device"])
    add("--compile", action="store_true", default=d["compile"],
        help="compile the training steps of the fully connected nets with torch.compile "
        "(faster iterations after a one-off compilation of 15-25 s)")
    add("--precision", choices=("float32", "bf16-mixed"), default=d["precision"],
        help="arithmetic of training: bf16-mixed runs convolutions and matrix products in "
        "bfloat16 (faster conv nets on CPUs with AMX and recent GPUs; default: %(default)s)")
    add("--n-init", type=int, default=d["n_init"], metavar="N",
        help="fits from different seeds; the one whose encoder's clusters carry the most "
        "information about the data (confident and evenly used) is kept (default: %(default)s)")
    add("--n-jobs", type=int, default=d["n_jobs"], metavar="N",
        help="restarts (--n-init) trained at once in worker processes; -1: all cores "
        "(default: %(default)s: one at a time)")
    add("--random-state", type=int, default=d["random_state"], metavar="SEED",
        help="seed for reproducible results (default: %(default)s)")
    add("--verbose", action="count", default=d["verbose"],
        help="print the estimator's loss lines (repeat for more often)")


def _float_or_auto(value: str) -> float | str:
    """``auto`` or a number, for options whose estimator parameter accepts "auto"."""
    if value == "auto":
        return value
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'auto' or a number, got {value!r}") from None


def _bool_or_auto(value: str) -> bool | str:
    """``auto``, ``yes`` or ``no``, for boolean parameters that accept "auto"."""
    choices = {"auto": "auto", "yes": True, "true": True, "no": False, "false": False}
    try:
        return choices[value.lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"expected 'auto', 'yes' or 'no', got {value!r}"
        ) from None


class _AdamBetas(argparse.Action):
    """``--adam-betas auto`` or ``--adam-betas B1 B2`` (two numbers)."""

    def __call__(self, parser, namespace, values, option_string=None):
        if values == ["auto"]:
            setattr(namespace, self.dest, "auto")
            return
        try:
            betas = tuple(float(v) for v in values)
        except ValueError:
            betas = ()
        if len(betas) != 2:
            parser.error(
                f"argument {option_string}: expected 'auto' or two numbers B1 B2, "
                f"got {' '.join(values)!r}"
            )
        setattr(namespace, self.dest, betas)


def _add_device(parser, default: str) -> None:
    parser.add_argument("--device", default=default,
                        help="auto, cpu, cuda, cuda:1, ... (default: %(default)s)")


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="overwrite existing output files")


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DATA", help="data file: .csv, .tsv, .npy or .npz")
    parser.add_argument("--npz-key", metavar="NAME",
                        help="array to read from a .npz file (default: its first array)")
    parser.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                        help="whether a CSV file starts with a header row (default: %(default)s: "
                        "when a cell of the first row is not a number)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``skclustergan`` command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="ClusterGAN clustering (Mukherjee et al., AAAI 2019) from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _build_fit(sub)
    _build_predict(sub)
    _build_sample(sub)
    _build_demo(sub)
    return parser


def _build_fit(sub) -> None:
    p = sub.add_parser("fit", help="cluster a data file", description="Fit ClusterGAN on DATA.")
    _add_data_options(p)
    p.add_argument("-k", "--n-clusters", type=int, required=True, metavar="K",
                   help="number of clusters")
    p.add_argument("--labels-out", metavar="CSV", help="write the cluster of each row here")
    p.add_argument("--model-out", metavar="FILE", help="save the fitted model here")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress display; fit in a single call")
    _add_force(p)
    _add_estimator_options(p)
    p.set_defaults(func=cmd_fit)


def _build_predict(sub) -> None:
    p = sub.add_parser("predict", help="assign new data to the clusters of a model",
                       description="Predict the clusters of DATA with a fitted model.")
    p.add_argument("model", metavar="MODEL", help="model file written by 'fit --model-out'")
    _add_data_options(p)
    p.add_argument("--labels-out", metavar="CSV", required=True, help="write the clusters here")
    p.add_argument("--proba-out", metavar="CSV",
                   help="write the encoder's cluster probabilities (softmax) here")
    p.add_argument("--method", choices=("argmax", "backprop", "nearest", "propagate"),
                   default="argmax",
                   help="argmax of the encoder, latent search by backpropagation, the "
                   "vote of the nearest generated samples, or the encoder's most confident "
                   "half of each cluster propagated to the other rows of DATA (default: "
                   "%(default)s)")
    _add_device(p, "cpu")
    _add_force(p)
    p.set_defaults(func=cmd_predict)


def _build_sample(sub) -> None:
    p = sub.add_parser("sample", help="generate data from a model",
                       description="Draw samples from the generator of a fitted model.")
    p.add_argument("model", metavar="MODEL", help="model file written by 'fit --model-out'")
    p.add_argument("-n", "--n-samples", type=int, required=True, metavar="N",
                   help="number of samples")
    p.add_argument("--cluster", type=int, metavar="K",
                   help="draw all samples from this cluster (default: clusters at random)")
    p.add_argument("-o", "--output", metavar="CSV", required=True, help="write the samples here")
    p.add_argument("--labels-out", metavar="CSV", help="write the cluster of each sample here")
    p.add_argument("--random-state", type=int, metavar="SEED", help="seed")
    _add_device(p, "cpu")
    _add_force(p)
    p.set_defaults(func=cmd_sample)


def _build_demo(sub) -> None:
    p = sub.add_parser(
        "demo", help="cluster scikit-learn's digits with ClusterGAN and KMeans",
        description="Cluster scikit-learn's 8x8 digits with ClusterGAN and KMeans, print "
        "ACC/purity/NMI/ARI and write DIR/demo.png (cluster prototypes and samples).",
    )
    p.add_argument("--out", default=".", metavar="DIR",
                   help="directory of demo.png (created if needed; default: %(default)s)")
    p.add_argument("--max-iter", type=int, default=DEMO_MAX_ITER, metavar="N",
                   help="ClusterGAN iterations (default: %(default)s, the digits budget of "
                        "benchmarks/run_benchmarks.py: about 1.5 minutes on 2 CPU cores)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    _add_device(p, _estimator_defaults()["device"])
    p.add_argument("--no-progress", action="store_true", help="no progress display")
    _add_force(p)
    p.set_defaults(func=cmd_demo)


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------
def _estimator_params(args: argparse.Namespace) -> dict:
    params = {name: getattr(args, name) for name in _estimator_defaults() if hasattr(args, name)}
    for name in ("hidden_layer_sizes", "image_shape"):
        if params.get(name) is not None:
            params[name] = tuple(params[name])
    return params


def _fit_model(model: ClusterGAN, X: np.ndarray, progress: bool) -> tuple[bool, float]:
    """Fit, mapping the estimator's errors to CLIError; returns (completed, seconds)."""
    stream = sys.stderr if progress else None
    start = time.perf_counter()
    try:
        completed = fit_with_progress(model, X, stream)
    except (ValueError, TypeError, FloatingPointError) as exc:
        raise CLIError(_one_line(exc)) from None
    return completed, time.perf_counter() - start


def _sizes(labels: np.ndarray, n_clusters: int) -> str:
    return "/".join(str(n) for n in np.bincount(labels, minlength=n_clusters))


def cmd_fit(args: argparse.Namespace) -> int:
    """``skclustergan fit``: cluster DATA, write labels and/or the model."""
    outputs = {"--labels-out": args.labels_out, "--model-out": args.model_out}
    check_outputs(outputs, args.force)
    X, _ = read_data(args.data, args.npz_key, args.header)
    try:
        model = ClusterGAN(**_estimator_params(args))
    except TypeError as exc:  # pragma: no cover - options mirror the signature
        raise CLIError(_one_line(exc)) from None
    completed, seconds = _fit_model(model, X, not (args.no_progress or args.verbose))
    K = args.n_clusters
    print(
        f"fit: {X.shape[0]} samples x {X.shape[1]} features, K={K}, cluster sizes "
        f"{_sizes(model.labels_, K)}, {model.n_iter_} iterations in {seconds:.1f} s"
    )
    if model.n_init > 1:
        scores = ", ".join(f"{s:.4f}" for s in model.init_scores_)
        print(f"fit: {model.n_init} restarts, mutual information {scores}; kept restart "
              f"{int(np.nanargmax(model.init_scores_)) + 1}")
    if not completed:
        print(f"fit: interrupted after {model.n_iter_} of {model.max_iter} iterations; "
              "keeping the model of the last complete iteration", file=sys.stderr)
    if args.labels_out:
        write_csv(args.labels_out, ["label"], model.labels_, "d", args.force)
        print(f"wrote {args.labels_out}")
    if args.model_out:
        save_model(model, args.model_out, args.force)
        print(f"wrote {args.model_out}")
    if not (args.labels_out or args.model_out):
        print("fit: nothing saved; pass --labels-out and/or --model-out", file=sys.stderr)
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    """``skclustergan predict``: clusters (and probabilities) of DATA under a model."""
    check_outputs({"--labels-out": args.labels_out, "--proba-out": args.proba_out}, args.force)
    model = load_model(args.model, args.device)
    X, _ = read_data(args.data, args.npz_key, args.header)
    check_n_features(model, X, args.data)
    try:
        labels = model.predict(X, method=args.method)
        proba = model.predict_proba(X) if args.proba_out else None
    except (ValueError, TypeError) as exc:
        raise CLIError(_one_line(exc)) from None
    K = model.cluster_centers_.shape[0]
    print(f"predict: {X.shape[0]} samples, K={K}, cluster sizes {_sizes(labels, K)}")
    write_csv(args.labels_out, ["label"], labels, "d", args.force)
    print(f"wrote {args.labels_out}")
    if proba is not None:
        write_csv(args.proba_out, [f"proba_{k}" for k in range(K)], proba, ".6g", args.force)
        print(f"wrote {args.proba_out}")
    return 0


def _feature_names(model: ClusterGAN) -> list[str]:
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        return [str(name) for name in names]
    return [f"x{j}" for j in range(model.n_features_in_)]


def cmd_sample(args: argparse.Namespace) -> int:
    """``skclustergan sample``: draw samples from the generator of a model."""
    check_outputs({"--output": args.output, "--labels-out": args.labels_out}, args.force)
    if args.n_samples < 1:
        raise CLIError(f"-n must be a positive number of samples, got {args.n_samples}")
    model = load_model(args.model, args.device)
    K = model.cluster_centers_.shape[0]
    if args.cluster is not None and not 0 <= args.cluster < K:
        raise CLIError(f"--cluster must be in 0..{K - 1} for this model, got {args.cluster}")
    try:
        X, labels = model.sample(args.n_samples, cluster=args.cluster,
                                 random_state=args.random_state)
    except (ValueError, TypeError) as exc:
        raise CLIError(_one_line(exc)) from None
    write_csv(args.output, _feature_names(model), np.asarray(X), ".9g", args.force)
    print(f"sample: wrote {len(X)} samples to {args.output}")
    if args.labels_out:
        write_csv(args.labels_out, ["label"], np.asarray(labels), "d", args.force)
        print(f"wrote {args.labels_out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``skclustergan demo``: ClusterGAN vs KMeans on scikit-learn's digits."""
    from sklearn.cluster import KMeans

    from .datasets import load_digits_scaled
    from .metrics import clustering_report

    figure = Path(args.out) / "demo.png"
    if figure.exists() and not args.force:
        raise CLIError(f"{figure} already exists; pass --force to overwrite it")
    X, y = load_digits_scaled()
    print(f"demo: scikit-learn's digits, {X.shape[0]} images of 8x8 pixels, 10 classes")
    model = ClusterGAN(n_clusters=10, latent_dim=10, max_iter=args.max_iter,
                       device=args.device, random_state=args.seed)
    _, gan_seconds = _fit_model(model, X, not args.no_progress)
    start = time.perf_counter()
    kmeans = KMeans(n_clusters=10, n_init=10, random_state=args.seed).fit(X)
    rows = [
        ("ClusterGAN", clustering_report(y, model.labels_), gan_seconds),
        ("KMeans", clustering_report(y, kmeans.labels_), time.perf_counter() - start),
    ]
    print(_report_table(rows))
    _demo_figure(model, y, figure, args.seed, args.force)
    return 0


def _report_table(rows: list[tuple[str, dict[str, float], float]]) -> str:
    lines = [f"{'method':<12}{'ACC':>8}{'purity':>8}{'NMI':>8}{'ARI':>8}{'fit time':>11}"]
    for name, r, seconds in rows:
        lines.append(
            f"{name:<12}{r['accuracy']:>8.3f}{r['purity']:>8.3f}{r['nmi']:>8.3f}"
            f"{r['ari']:>8.3f}{seconds:>9.1f} s"
        )
    return "\n".join(lines)


def _demo_figure(model: ClusterGAN, y: np.ndarray, path: Path, seed: int, force: bool) -> None:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        print("demo: figure skipped because matplotlib is not installed "
              "(pip install matplotlib)")
        return
    K, n = model.cluster_centers_.shape[0], _DEMO_SAMPLES_PER_CLUSTER
    majority = [np.bincount(y[model.labels_ == k], minlength=10).argmax()
                if np.any(model.labels_ == k) else -1 for k in range(K)]
    order = np.argsort(majority, kind="stable")
    fig = Figure(figsize=(K * 0.9, (n + 1) * 0.9 + 0.5), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(n + 1, K, squeeze=False)
    for col, k in enumerate(order):
        samples, _ = model.sample(n, cluster=int(k), random_state=seed)
        images = [model.cluster_centers_[k], *np.asarray(samples)]
        for row, image in enumerate(images):
            ax = axes[row, col]
            ax.imshow(np.reshape(image, (8, 8)), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        digit = f"'{majority[k]}'" if majority[k] >= 0 else "empty"
        axes[0, col].set_title(f"{k}: {digit}", fontsize=8)
    axes[0, 0].set_ylabel("center", fontsize=8)
    axes[1, 0].set_ylabel("samples", fontsize=8)
    fig.suptitle("ClusterGAN on digits: cluster prototype (top) and samples of each cluster "
                 "(title: cluster: its majority digit)", fontsize=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=100), force)
    print(f"demo: wrote {path}")


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``skclustergan`` command.

    Parameters
    ----------
    argv : sequence of str, default=None
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    status : int
        0 on success, 2 on a usage or data error (reported on stderr as
        ``skclustergan: error: ...``), 130 when interrupted.

    Examples
    --------
    >>> from skclustergan.cli import main
    >>> main(["predict", "no-such-model.pt", "no-such-data.csv", "--labels-out", "x.csv"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        return args.func(args)
    except CLIError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. permission denied while writing an output
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
