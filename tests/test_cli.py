"""Tests of the command line interface (skclustergan.cli)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.datasets import make_blobs

from skclustergan import ClusterGAN, cli
from skclustergan.cli import main

TINY = ["--latent-dim", "2", "--hidden-layer-sizes", "32", "32", "--batch-size", "32",
        "--n-critic", "1", "--device", "cpu", "--random-state", "0"]


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """The machine is shared: train the tiny nets on one thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def blobs(n_samples: int = 60, n_features: int = 3) -> np.ndarray:
    X, _ = make_blobs(n_samples, centers=3, n_features=n_features, random_state=0)
    return X


def write_csv(path: Path, X: np.ndarray, header: str | None = None) -> Path:
    lines = [header] if header is not None else []
    lines += [",".join(repr(float(v)) for v in row) for row in X]
    path.write_text("\n".join(lines) + "\n")
    return path


def run(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` with its stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


def read_labels(path: Path) -> np.ndarray:
    lines = path.read_text().splitlines()
    assert lines[0] == "label"
    return np.array([int(v) for v in lines[1:]])


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A model fitted by ``skclustergan fit`` on a CSV file with a header."""
    tmp = tmp_path_factory.mktemp("fitted")
    X = blobs()
    data = write_csv(tmp / "data.csv", X, header="a,b,c")
    labels, model = tmp / "labels.csv", tmp / "model.pt"
    status, out, err = run(["fit", data, "-k", 3, "--max-iter", 20, *TINY,
                            "--labels-out", labels, "--model-out", model])
    assert status == 0, err
    return {"X": X, "data": data, "labels": labels, "model": model, "out": out, "err": err}


# ----------------------------------------------------------------- round trip
def test_fit_writes_labels_model_summary_and_progress(fitted):
    labels = read_labels(fitted["labels"])
    assert labels.shape == (60,)
    assert labels.min() >= 0 and labels.max() < 3
    summary = fitted["out"].splitlines()[0]
    assert summary.startswith("fit: 60 samples x 3 features, K=3, cluster sizes ")
    assert "20 iterations in" in summary
    sizes = summary.split("cluster sizes ")[1].split(",")[0]
    assert [int(s) for s in sizes.split("/")] == np.bincount(labels, minlength=3).tolist()
    # Not a terminal: plain progress lines, about every 10 %.
    progress = fitted["err"].splitlines()
    assert len(progress) == 10
    assert progress[-1].startswith("fit: iteration 20/20 (100%), elapsed ")
    assert "\r" not in fitted["err"]
    model = ClusterGAN.load(fitted["model"])
    assert model.n_iter_ == 20 and model.max_iter == 20 and not model.warm_start
    np.testing.assert_array_equal(model.labels_, labels)


def test_fit_with_restarts_keeps_the_most_confident(tmp_path):
    data = write_csv(tmp_path / "data.csv", blobs())
    model_path = tmp_path / "model.pt"
    status, out, err = run(["fit", data, "-k", 3, "--max-iter", 20, *TINY, "--n-init", 3,
                            "--model-out", model_path])
    assert status == 0, err
    assert err == "training 3 restarts of 20 iterations each\n"
    model = ClusterGAN.load(model_path)
    assert model.n_init == 3 and model.init_scores_.shape == (3,)
    best = int(np.argmax(model.init_scores_)) + 1
    assert "fit: 3 restarts, mutual information " in out
    assert out.splitlines()[1].endswith(f"kept restart {best}")


def test_predict_round_trip(fitted, tmp_path):
    out_labels, proba = tmp_path / "pred.csv", tmp_path / "proba.csv"
    status, out, err = run(["predict", fitted["model"], fitted["data"],
                            "--labels-out", out_labels, "--proba-out", proba])
    assert status == 0, err
    np.testing.assert_array_equal(read_labels(out_labels), read_labels(fitted["labels"]))
    lines = proba.read_text().splitlines()
    assert lines[0] == "proba_0,proba_1,proba_2"
    P = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    assert P.shape == (60, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1, atol=1e-4)
    assert out.startswith("predict: 60 samples, K=3, cluster sizes ")


@pytest.mark.parametrize("fmt", ["npy", "npz", "npz-key", "tsv"])
def test_predict_reads_npy_npz_tsv(fitted, tmp_path, fmt):
    X = fitted["X"]
    extra = []
    if fmt == "npy":
        data = tmp_path / "x.npy"
        np.save(data, X)
    elif fmt == "npz":
        data = tmp_path / "x.npz"
        np.savez(data, X=X, y=np.zeros(len(X)))
    elif fmt == "npz-key":
        data, extra = tmp_path / "x.npz", ["--npz-key", "X"]
        np.savez(data, y=np.zeros(len(X)), X=X)
    else:
        data = tmp_path / "x.tsv"
        data.write_text("\n".join("\t".join(repr(float(v)) for v in row) for row in X))
    out_labels = tmp_path / "pred.csv"
    status, _, err = run(["predict", fitted["model"], data, "--labels-out", out_labels, *extra])
    assert status == 0, err
    np.testing.assert_array_equal(read_labels(out_labels), read_labels(fitted["labels"]))


def test_predict_backprop(fitted, tmp_path):
    out_labels = tmp_path / "pred.csv"
    small = write_csv(tmp_path / "small.csv", fitted["X"][:5])
    status, _, err = run(["predict", fitted["model"], small, "--labels-out", out_labels,
                          "--method", "backprop"])
    assert status == 0, err
    assert read_labels(out_labels).shape == (5,)


def test_predict_nearest_writes_the_labels_of_the_nearest_sample_read_out(fitted, tmp_path):
    out_labels = tmp_path / "pred.csv"
    small = write_csv(tmp_path / "small.csv", fitted["X"][:9])
    status, _, err = run(["predict", fitted["model"], small, "--labels-out", out_labels,
                          "--method", "nearest"])
    assert status == 0, err
    expected = ClusterGAN.load(fitted["model"]).predict(fitted["X"][:9], method="nearest")
    np.testing.assert_array_equal(read_labels(out_labels), expected)


def test_predict_propagate_labels_the_file_as_a_whole(fitted, tmp_path):
    out_labels = tmp_path / "pred.csv"
    data = write_csv(tmp_path / "all.csv", fitted["X"])
    status, _, err = run(["predict", fitted["model"], data, "--labels-out", out_labels,
                          "--method", "propagate"])
    assert status == 0, err
    expected = ClusterGAN.load(fitted["model"]).predict(fitted["X"], method="propagate")
    np.testing.assert_array_equal(read_labels(out_labels), expected)


def test_sample(fitted, tmp_path):
    samples, labels = tmp_path / "s.csv", tmp_path / "s_labels.csv"
    status, out, err = run(["sample", fitted["model"], "-n", 7, "--cluster", 1, "-o", samples,
                            "--labels-out", labels, "--random-state", 0])
    assert status == 0, err
    X, columns = cli.read_data(samples)
    assert columns == ["x0", "x1", "x2"]
    assert X.shape == (7, 3)
    assert read_labels(labels).tolist() == [1] * 7
    # Same seed, same samples.
    again = tmp_path / "again.csv"
    assert run(["sample", fitted["model"], "-n", 7, "--cluster", 1, "-o", again,
                "--random-state", 0])[0] == 0
    assert again.read_text() == samples.read_text()
    assert "wrote 7 samples" in out


@pytest.mark.parametrize("fmt", ["npy", "npz"])
def test_fit_npy_npz(tmp_path, fmt):
    X = blobs(30).astype(np.float32)
    data = tmp_path / f"x.{fmt}"
    if fmt == "npy":
        np.save(data, X)
    else:
        np.savez(data, first=X, other=X[:, :2])
    labels = tmp_path / "labels.csv"
    status, out, err = run(["fit", data, "-k", 2, "--max-iter", 3, *TINY, "--no-progress",
                            "--labels-out", labels])
    assert status == 0, err
    assert err == ""  # --no-progress
    assert read_labels(labels).shape == (30,)
    assert "30 samples x 3 features, K=2" in out


def test_fit_conv_small_on_flattened_images(tmp_path):
    X = np.random.default_rng(0).random((24, 64)).astype(np.float32)
    data, model = tmp_path / "x.npy", tmp_path / "model.pt"
    np.save(data, X)
    status, out, err = run(["fit", data, "-k", 2, "--max-iter", 2, "--latent-dim", 2,
                            "--batch-size", 8, "--architecture", "conv-small",
                            "--image-shape", 8, 8, "--device", "cpu", "--no-progress",
                            "--random-state", 0, "--model-out", model])
    assert status == 0, err
    loaded = ClusterGAN.load(model)
    assert loaded.architecture == "conv-small" and loaded.image_shape == (8, 8)


# ------------------------------------------------------------ reading data
@pytest.mark.parametrize(
    "text, header, expected_columns",
    [
        ("a,b\n1,2\n3,4\n", "auto", ["a", "b"]),
        ("1,2\n3,4\n", "auto", None),
        ("\ufeffx, y\n1,2\n\n3,4\n\n", "auto", ["x", "y"]),  # BOM, spaces, blank lines
        ("0,1\n1,2\n3,4\n", "yes", ["0", "1"]),
        (",b\n1,2\n3,4\n", "auto", ["", "b"]),  # pandas' index header
    ],
)
def test_read_csv_header_detection(tmp_path, text, header, expected_columns):
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    X, columns = cli.read_data(path, header=header)
    assert columns == expected_columns
    np.testing.assert_array_equal(X[-2:], [[1, 2], [3, 4]])


def test_read_npy_keeps_float32_and_casts_ints(tmp_path):
    np.save(tmp_path / "f.npy", np.ones((3, 2), dtype=np.float32))
    np.save(tmp_path / "i.npy", np.ones((3, 2), dtype=np.int64))
    assert cli.read_data(tmp_path / "f.npy")[0].dtype == np.float32
    assert cli.read_data(tmp_path / "i.npy")[0].dtype == np.float64


def _bad_files(tmp: Path) -> dict[str, tuple[Path, list[str], str]]:
    """Name -> (data file, extra options, expected part of the error message)."""
    def text(name: str, content: str) -> Path:
        (tmp / name).write_text(content)
        return tmp / name

    np.save(tmp / "vector.npy", np.arange(4.0))
    np.save(tmp / "strings.npy", np.array([["a", "b"]]))
    np.save(tmp / "nan.npy", np.array([[1.0, 2.0], [3.0, np.inf]]))
    np.save(tmp / "empty.npy", np.empty((0, 3)))
    np.savez(tmp / "x.npz", X=np.ones((3, 2)))
    return {
        "missing": (tmp / "nope.csv", [], "nope.csv: no such file"),
        "directory": (tmp, [], "not a regular file"),
        "empty": (text("empty.csv", ""), [], "the file is empty"),
        "blank": (text("blank.csv", "\n \n"), [], "the file is empty"),
        "header only": (text("hdr.csv", "a,b\n"), [], "has a header but no data rows"),
        "ragged": (text("rag.csv", "a,b\n1,2\n3\n"), [],
                   "ragged rows: line 3 has 1 field(s), expected 2"),
        "non-numeric": (text("bad.csv", "a,b\n1,2\n3,x\n"), [],
                        "line 3, column 2 ('b'): 'x' is not a number"),
        "empty cell": (text("cell.csv", "1,2\n3,\n"), [], "line 2, column 2: empty cell"),
        "header=no": (text("h.csv", "a,b\n1,2\n"), ["--header", "no"],
                      "line 1, column 1: 'a' is not a number"),
        "nan in csv": (text("nan.csv", "1,2\nnan,3\n"), [], "line 2, column 1: value nan"),
        "inf in npy": (tmp / "nan.npy", [], "element [1, 1]: value inf is not finite"),
        "extension": (text("data.txt", "1,2\n"), [], "unknown data file extension '.txt'"),
        "1-D npy": (tmp / "vector.npy", [], "expected a 2-D array"),
        "strings npy": (tmp / "strings.npy", [], "expected a numeric array"),
        "empty npy": (tmp / "empty.npy", [], "the array is empty"),
        "corrupt npy": (text("junk.npy", "not numpy"), [], "not a valid .npy file"),
        "corrupt npz": (text("junk.npz", "not a zip"), [], "not a valid .npz file"),
        "npz key": (tmp / "x.npz", ["--npz-key", "Y"], "no array named 'Y' in the archive"),
        "binary csv": (tmp / "bin.csv", [], "not a UTF-8 text file"),
    }


BAD_CASES = [
    "missing", "directory", "empty", "blank", "header only", "ragged", "non-numeric",
    "empty cell", "header=no", "nan in csv", "inf in npy", "extension", "1-D npy",
    "strings npy", "empty npy", "corrupt npy", "corrupt npz", "npz key", "binary csv",
]


def test_bad_cases_are_all_tested(tmp_path):
    assert sorted(_bad_files(tmp_path)) == sorted(BAD_CASES)


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_data_file_is_a_one_line_error(tmp_path, case):
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00\x81\x00")
    data, extra, message = _bad_files(tmp_path)[case]
    status, out, err = run(["fit", data, "-k", 2, "--max-iter", 1, *extra])
    assert status == 2
    assert err.startswith("skclustergan: error: ")
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_wrong_feature_count(fitted, tmp_path):
    data = write_csv(tmp_path / "two.csv", fitted["X"][:, :2])
    status, _, err = run(["predict", fitted["model"], data, "--labels-out", tmp_path / "l.csv"])
    assert status == 2
    assert "has 2 features per row, but the model was fitted on 3" in err


@pytest.mark.parametrize("content", [b"", b"junk", "tensor"])
def test_not_a_model_file(fitted, tmp_path, content):
    model = tmp_path / "model.pt"
    if content == "tensor":
        torch.save({"weights": torch.zeros(2)}, model)
    else:
        model.write_bytes(content)
    for argv in (["predict", model, fitted["data"], "--labels-out", tmp_path / "l.csv"],
                 ["sample", model, "-n", 2, "-o", tmp_path / "s.csv"]):
        status, _, err = run(argv)
        assert status == 2
        assert err.startswith("skclustergan: error: ") and err.count("\n") == 1
        if content == b"":
            assert "the file is empty" in err
        else:
            assert "cannot load the model" in err and "not a" in err and "model file" in err
    assert not (tmp_path / "l.csv").exists()


def test_estimator_errors_are_one_line(tmp_path):
    data = write_csv(tmp_path / "d.csv", blobs(10))
    for extra, message in ((["--sigma", "-1"], "'sigma' parameter"),
                           (["-k", "20"], "n_clusters=20")):
        status, _, err = run(["fit", data, "-k", 2, "--max-iter", 1, *TINY, *extra])
        assert status == 2 and message in err and err.count("\n") == 1


@pytest.mark.parametrize("command", ["fit", "demo"])
@pytest.mark.parametrize("max_iter", [0, -5])
def test_non_positive_max_iter_is_a_one_line_error_with_progress_on(tmp_path, command, max_iter):
    # progress on (the default) trains in chunks; a budget below 1 once skipped the fit
    data = write_csv(tmp_path / "d.csv", blobs(10))
    argv = (["fit", data, "-k", 2, *TINY] if command == "fit"
            else ["demo", "--out", tmp_path, "--device", "cpu"])
    status, out, err = run([*argv, "--max-iter", max_iter])
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert f"The 'max_iter' parameter of ClusterGAN must be an int in the range [1, inf). " \
           f"Got {max_iter} instead." in err
    assert not (tmp_path / "demo.png").exists()


def test_sample_cluster_out_of_range(fitted, tmp_path):
    status, _, err = run(["sample", fitted["model"], "-n", 2, "--cluster", 3,
                          "-o", tmp_path / "s.csv"])
    assert status == 2 and "--cluster must be in 0..2" in err


def test_usage_errors_exit_2_and_help_0(capsys):
    assert main([]) == 2
    assert main(["fit", "data.csv"]) == 2  # -k missing
    assert "the following arguments are required: -k/--n-clusters" in capsys.readouterr().err
    assert main(["fit", "--help"]) == 0
    assert "--hidden-layer-sizes" in capsys.readouterr().out


def test_defaults_are_the_estimators(tmp_path):
    parser = cli.build_parser()
    args = parser.parse_args(["fit", "d.csv", "-k", "3"])
    params = cli._estimator_params(args)
    defaults = ClusterGAN().get_params()
    for name, value in params.items():
        if name != "n_clusters":
            assert value == defaults[name], name
    assert set(defaults) - set(params) == {"warm_start"}


@pytest.mark.parametrize("value, expected", [("auto", "auto"), ("1e-3", 1e-3)])
def test_learning_rate_option_reaches_the_estimator(value, expected):
    args = cli.build_parser().parse_args(["fit", "d.csv", "-k", "3", "--learning-rate", value])
    assert cli._estimator_params(args)["learning_rate"] == expected


def test_learning_rate_option_rejects_other_words(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.build_parser().parse_args(["fit", "d.csv", "-k", "3", "--learning-rate", "fast"])
    assert exc.value.code == 2
    assert "argument --learning-rate: expected 'auto' or a number, got 'fast'" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("value", ["auto", "linear", "constant"])
def test_learning_rate_schedule_option_reaches_the_estimator(value):
    args = cli.build_parser().parse_args(
        ["fit", "d.csv", "-k", "3", "--learning-rate-schedule", value]
    )
    assert cli._estimator_params(args)["learning_rate_schedule"] == value


@pytest.mark.parametrize("values, expected", [(["0", "0.95"], (0.0, 0.95)), (["auto"], "auto")])
def test_adam_betas_option_reaches_the_estimator(values, expected):
    args = cli.build_parser().parse_args(["fit", "d.csv", "-k", "3", "--adam-betas", *values])
    assert cli._estimator_params(args)["adam_betas"] == expected


@pytest.mark.parametrize("values", [["0.5"], ["0.5", "0.9", "0.99"], ["a", "b"], ["auto", "1"]])
def test_adam_betas_option_rejects_other_values(values, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.build_parser().parse_args(["fit", "d.csv", "-k", "3", "--adam-betas", *values])
    assert exc.value.code == 2
    assert "argument --adam-betas: expected 'auto' or two numbers B1 B2" in capsys.readouterr().err


# -------------------------------------------------------------- overwriting
def test_outputs_are_not_overwritten_without_force(fitted, tmp_path):
    data = fitted["data"]
    existing = tmp_path / "existing.csv"
    existing.write_text("mine\n")
    commands = [
        ["fit", data, "-k", 3, *TINY, "--labels-out", existing],
        ["fit", data, "-k", 3, *TINY, "--model-out", existing],
        ["predict", fitted["model"], data, "--labels-out", existing],
        ["predict", fitted["model"], data, "--labels-out", tmp_path / "new.csv",
         "--proba-out", existing],
        ["sample", fitted["model"], "-n", 2, "-o", existing],
    ]
    for argv in commands:
        status, _, err = run(argv)
        assert status == 2, argv
        assert f"{existing} already exists; pass --force to overwrite it" in err
        assert existing.read_text() == "mine\n"
    assert not (tmp_path / "new.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["existing.csv"]  # no temporary files


def test_force_overwrites(fitted, tmp_path):
    existing = tmp_path / "existing.csv"
    existing.write_text("mine\n")
    status, _, err = run(["predict", fitted["model"], fitted["data"], "--labels-out", existing,
                          "--force"])
    assert status == 0, err
    np.testing.assert_array_equal(read_labels(existing), read_labels(fitted["labels"]))
    assert [p.name for p in tmp_path.iterdir()] == ["existing.csv"]


def test_same_output_twice_and_missing_directory(fitted, tmp_path):
    out = tmp_path / "out.csv"
    status, _, err = run(["predict", fitted["model"], fitted["data"], "--labels-out", out,
                          "--proba-out", out])
    assert status == 2 and "name the same file" in err
    status, _, err = run(["predict", fitted["model"], fitted["data"],
                          "--labels-out", tmp_path / "no" / "out.csv"])
    assert status == 2 and "does not exist" in err


def test_write_atomic_failure_leaves_nothing(tmp_path):
    def fail(tmp: Path) -> None:
        tmp.write_text("partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cli.write_atomic(tmp_path / "out.csv", fail, force=False)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------- progress
class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


class StubModel:
    """Counts iterations like ClusterGAN; ``stop_at`` simulates Ctrl-C."""

    def __init__(self, max_iter: int, stop_at: int | None = None) -> None:
        self.max_iter, self.warm_start, self.n_iter_ = max_iter, False, 0
        self.n_init = 1
        self.stop_at, self.calls = stop_at, []

    def set_params(self, **params):
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def fit(self, X):
        self.calls.append((self.max_iter, self.warm_start))
        start = self.n_iter_ if self.warm_start else 0
        end = start + self.max_iter
        self.n_iter_ = min(end, self.stop_at) if self.stop_at else end
        return self


def test_progress_chunks_when_piped():
    stream = io.StringIO()
    model = StubModel(95)
    assert cli.fit_with_progress(model, None, stream)
    assert model.calls[0] == (10, False) and all(warm for _, warm in model.calls[1:])
    assert sum(n for n, _ in model.calls) == 95 and len(model.calls) == 10
    assert (model.max_iter, model.warm_start) == (95, False)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("fit: iteration 95/95 (100%)")


def test_progress_bar_on_a_terminal():
    stream = FakeTTY()
    model = StubModel(250)
    assert cli.fit_with_progress(model, None, stream)
    assert len(model.calls) == 84  # ceil(250 / 100) = 3 iterations per chunk
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    last = text.rstrip("\n").split("\r")[-1]
    assert last.startswith("fit [" + "#" * 24 + "] iteration 250/250 (100%), elapsed ")
    assert "ETA 00:00" in last


def test_progress_stops_when_interrupted():
    model = StubModel(100, stop_at=37)
    assert not cli.fit_with_progress(model, None, io.StringIO())
    assert model.n_iter_ == 37 and model.max_iter == 100 and len(model.calls) == 4


def test_chunked_fit_gives_a_valid_model():
    X = blobs(40)
    model = ClusterGAN(3, latent_dim=2, hidden_layer_sizes=(16,), max_iter=8, batch_size=16,
                       n_critic=1, device="cpu", random_state=0)
    assert cli.fit_with_progress(model, X, FakeTTY())
    assert model.n_iter_ == 8 and len(model.history_["critic"]) == 8
    assert (model.max_iter, model.warm_start) == (8, False)
    np.testing.assert_array_equal(model.labels_, model.predict(X))
    assert model.cluster_centers_.shape == (3, 3)


# --------------------------------------------------------------------- demo
def test_demo(tmp_path):
    status, out, err = run(["demo", "--out", tmp_path / "demo", "--max-iter", 10, "--seed", 0,
                            "--device", "cpu", "--no-progress"])
    assert status == 0, err
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("method"))
    assert lines[header].split() == ["method", "ACC", "purity", "NMI", "ARI", "fit", "time"]
    assert lines[header + 1].startswith("ClusterGAN") and lines[header + 2].startswith("KMeans")
    kmeans_scores = [float(v) for v in lines[header + 2].split()[1:5]]
    assert all(0 <= v <= 1 for v in kmeans_scores) and kmeans_scores[0] > 0.5
    figure = tmp_path / "demo" / "demo.png"
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "figure skipped because matplotlib is not installed" in out
        assert not figure.exists()
    else:
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # The figure is the user's now: not overwritten without --force (checked first).
        status, _, err = run(["demo", "--out", tmp_path / "demo", "--max-iter", 1])
        assert status == 2 and "pass --force" in err


def test_demo_without_matplotlib(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    cli._demo_figure(None, np.zeros(3), tmp_path / "demo.png", 0, False)
    assert "figure skipped because matplotlib is not installed" in capsys.readouterr().out
    assert not (tmp_path / "demo.png").exists()


# -------------------------------------------------------------- python -m
def test_python_m_help():
    result = subprocess.run([sys.executable, "-m", "skclustergan", "--help"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for command in ("fit", "predict", "sample", "demo"):
        assert command in result.stdout
