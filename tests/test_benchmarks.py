"""Small, fast benchmarks: ClusterGAN must learn, and the benchmark runner must work.

The floors sit well above chance (Hungarian accuracy of random labels is about
0.13 for 10 clusters) and well below what the estimator's defaults reach with
the small budgets used here, so that only a change that breaks learning fails.
Each fit runs on one torch thread: small nets gain nothing from more, results
then do not depend on the machine's core count, and two threads on a busy
2-core machine are many times slower.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
import torch

from skclustergan import ClusterGAN
from skclustergan.datasets import load_dataset, make_linear_mixture
from skclustergan.metrics import cluster_accuracy

RUNNER_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "run_benchmarks.py"
_RUNNER_NAME = "skclustergan_benchmarks_runner"


def load_runner() -> ModuleType:
    """Import benchmarks/run_benchmarks.py (not a package) from its path."""
    if _RUNNER_NAME in sys.modules:
        return sys.modules[_RUNNER_NAME]
    spec = importlib.util.spec_from_file_location(_RUNNER_NAME, RUNNER_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[_RUNNER_NAME] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def one_thread():
    """Run the test on one torch thread, restoring the previous setting."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


# --------------------------------------------------------------- learning floors


def test_clustergan_learns_digits(one_thread):
    # 500 iterations, 600 digits, one thread, seeds 0-3: ACC 0.448, 0.447, 0.418, 0.437 with
    # the default learning_rate="auto" (5e-4 here; 0.577, 0.527, 0.442, 0.523 with the
    # former 2e-3); chance is ~0.2 and KMeans gets ~0.78. About 3 s of CPU time.
    X, y = load_dataset("digits", subsample=600, random_state=0)
    model = ClusterGAN(10, latent_dim=10, max_iter=500, random_state=0, device="cpu").fit(X)
    assert cluster_accuracy(y, model.labels_) >= 0.40


def test_clustergan_learns_synthetic(one_thread):
    # The paper-style mixture of the benchmarks (10 clusters, dim z_n 5, 100 features),
    # which KMeans solves exactly. Measured with the defaults: ACC 1.0 / 0.998 at 6,000
    # iterations (seeds 0-1, learning rate 5e-4; 1.0 / 1.0 at 2e-3); about 25 s of CPU time.
    X, y = make_linear_mixture(1000, random_state=0)
    model = ClusterGAN(10, latent_dim=5, max_iter=6000, random_state=0, device="cpu").fit(X)
    assert cluster_accuracy(y, model.labels_) >= 0.90


# ------------------------------------------------------------------ the runner


@pytest.mark.filterwarnings("error:.*(figure failed|sample failed)")
@pytest.mark.filterwarnings("ignore:Graph is not fully connected")
def test_runner_writes_outputs(tmp_path, one_thread):
    # About 6 s of CPU time. Without matplotlib (not in the test extra) only the tables.
    plots = importlib.util.find_spec("matplotlib") is not None
    runner = load_runner()
    argv = ["--datasets", "synthetic", "digits", "--subsample", "200", "--max-iter", "30",
            "--seeds", "0", "--out", str(tmp_path)] + ([] if plots else ["--no-plots"])
    assert runner.main(argv) == 0

    results = pd.read_csv(tmp_path / "results.csv")
    assert set(results["dataset"]) == {"synthetic", "digits"}
    assert set(results["method"]) == set(runner.DEFAULT_METHODS)
    assert len(results) == 2 * len(runner.DEFAULT_METHODS)
    assert "clustergan-backprop" not in runner.DEFAULT_METHODS  # opt-in: minutes per fit
    assert results["accuracy"].between(0, 1).all()
    assert (results["fit_time_s"] > 0).all()

    summary = pd.read_csv(tmp_path / "summary.csv")
    assert {"accuracy_mean", "accuracy_std", "nmi_mean", "ari_mean", "target_acc",
            "passed", "paper_best_acc"} <= set(summary.columns)
    text = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "Command: `python" in text and "--max-iter 30" in text
    assert f"torch {torch.__version__}" in text and "torch threads" in text
    assert "ClusterGAN (argmax E_c)" in text and "≥ 0.99" in text

    if not plots:
        pytest.skip("matplotlib is not installed: figures not tested")
    for name in ("synthetic", "digits"):
        for kind in ("samples", "latent", "history"):
            png = tmp_path / f"{name}_{kind}.png"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png


def test_runner_backprop_readout_decodes_the_fitted_model(
    tmp_path, one_thread, monkeypatch, capsys
):
    """The paper's back-propagation decoding is read out from the same fit as the argmax
    (its time includes the fit) and skipped, with a message, above its size limit."""
    runner = load_runner()
    decoded = []
    real_readout = runner.backprop_readout

    def spy(model, X, seed):
        labels = real_readout(model, X, seed)
        np.testing.assert_array_equal(labels, model.decode(X, random_state=seed)[1])
        decoded.append(labels)
        return labels

    monkeypatch.setattr(runner, "backprop_readout", spy)
    argv = ["--datasets", "digits", "--subsample", "150", "--max-iter", "20", "--seeds", "1",
            "--methods", "clustergan", "clustergan-backprop", "--no-plots",
            "--out", str(tmp_path)]
    assert runner.main(argv) == 0
    results = pd.read_csv(tmp_path / "results.csv").set_index("method")
    assert len(decoded) == 1 and decoded[0].shape == (150,)
    row = results.loc["clustergan-backprop"]
    assert row["accuracy"] == pytest.approx(cluster_accuracy(
        load_dataset("digits", subsample=150, random_state=0)[1], decoded[0]))
    assert row["fit_time_s"] > results.loc["clustergan", "fit_time_s"]

    monkeypatch.setitem(runner.MAX_SAMPLES, "clustergan-backprop", 100)
    out = tmp_path / "skipped"
    capsys.readouterr()
    assert runner.main(argv[:-1] + [str(out)]) == 0
    assert "clustergan-backprop skipped (n_samples=150 > 100)" in capsys.readouterr().out
    assert set(pd.read_csv(out / "results.csv")["method"]) == {"clustergan"}
    assert len(decoded) == 1


def test_runner_saves_each_fit_that_loads_and_labels_like_the_results(tmp_path, one_thread):
    runner = load_runner()
    argv = ["--datasets", "digits", "--subsample", "120", "--max-iter", "15", "--seeds", "0",
            "1", "--methods", "clustergan", "clustergan-nearest", "clustergan-propagate", "--no-plots",
            "--save-models",
            "--out", str(tmp_path)]
    assert runner.main(argv) == 0
    X, y = load_dataset("digits", subsample=120, random_state=0)
    results = pd.read_csv(tmp_path / "results.csv").set_index(["method", "seed"])
    for seed in (0, 1):
        model = ClusterGAN.load(tmp_path / "models" / f"digits-seed{seed}.pt")
        assert model.random_state == seed and model.max_iter == 15
        assert results.loc[("clustergan", seed), "accuracy"] == pytest.approx(
            cluster_accuracy(y, model.predict(X)))
        assert results.loc[("clustergan-nearest", seed), "accuracy"] == pytest.approx(
            cluster_accuracy(y, model.predict(X, method="nearest")))
        assert results.loc[("clustergan-propagate", seed), "accuracy"] == pytest.approx(
            cluster_accuracy(y, model.predict(X, method="propagate")))
    assert runner.main(argv) == 0  # a second run replaces the files (save would refuse)


def test_peak_memory_counts_child_processes():
    """Restarts trained by joblib workers (n_jobs) allocate in child processes."""
    import subprocess

    pytest.importorskip("psutil")
    script = "import time, numpy as np; a = np.ones(50_000_000); time.sleep(1.5)"  # 381 MiB
    with load_runner().PeakMemory() as memory:
        subprocess.run([sys.executable, "-c", script], check=True)
    assert memory.increase_mib > 300


def test_runner_needs_data_dir_for_files(monkeypatch, capsys):
    monkeypatch.delenv("SKCLUSTERGAN_DATA_DIR", raising=False)
    with pytest.raises(SystemExit) as exc:
        load_runner().main(["--datasets", "digits", "pendigits"])
    assert exc.value.code == 2
    assert "--data-dir is required for pendigits" in capsys.readouterr().err


def test_runner_settings_follow_the_paper():
    runner = load_runner()
    args = runner.build_parser().parse_args(["--max-iter", "7"])
    fashion = runner.clustergan_params("fashion-mnist", args, seed=3)
    assert fashion["latent_dim"] == 40 and fashion["beta_n"] == 0.0
    assert fashion["image_shape"] == (1, 28, 28) and fashion["max_iter"] == 7
    assert fashion["random_state"] == 3
    assert "beta_n" not in runner.clustergan_params("mnist", args, seed=0)
    mlp = runner.build_parser().parse_args(["--architecture", "mlp"])
    mnist = runner.clustergan_params("mnist", mlp, seed=0)
    assert mnist["architecture"] == "mlp" and "image_shape" not in mnist
    assert runner.clustergan_params("pendigits", mlp, seed=0)["latent_dim"] == 5
    small = runner.build_parser().parse_args(["--architecture", "conv-small"])
    mnist = runner.clustergan_params("mnist", small, seed=0)
    assert mnist["architecture"] == "conv-small" and mnist["image_shape"] == (1, 28, 28)
    assert "architecture" not in runner.clustergan_params("digits", small, seed=0)
    assert runner.skip_reason("spectral", 10_992, 0, [0]) is None  # Pendigits
    assert runner.skip_reason("spectral", 70_000, 0, [0]) is not None
    assert runner.skip_reason("agglomerative", 100, 1, [0, 1]) is not None
    assert runner.skip_reason("kmeans", 10**6, 1, [0, 1]) is None


def test_runner_image_defaults_are_the_cpu_recipe():
    """Without options the image data sets get the nets and budget measured on the CPU."""
    runner = load_runner()
    args = runner.build_parser().parse_args([])
    for name, max_iter in (("mnist", 56000), ("fashion-mnist", 45000)):
        params = runner.clustergan_params(name, args, seed=0)
        assert params["architecture"] == "conv-small" and params["max_iter"] == max_iter
    paper = runner.build_parser().parse_args(["--architecture", "conv"])
    assert runner.clustergan_params("mnist", paper, seed=0)["architecture"] == "conv"
    assert "architecture" not in runner.clustergan_params("digits", args, seed=0)
    settings = runner.settings_lines(["mnist", "digits"], args)
    assert "architecture=conv-small" in settings[0] and "architecture=mlp" in settings[1]


def test_summary_marks_only_clustergan_rows():
    runner = load_runner()
    rows = [
        {"dataset": "digits", "method": method, "seed": seed, "accuracy": acc,
         "purity": acc, "nmi": acc, "ari": acc, "fit_time_s": 1.0, "peak_rss_mib": 1.0}
        for method, acc in (("clustergan", 0.95), ("clustergan-paper", 0.5), ("kmeans", 0.8))
        for seed in (0, 1)
    ]
    summary = runner.summarize(pd.DataFrame(rows)).set_index("method")
    assert summary.loc["clustergan", "passed"] is True
    assert summary.loc["clustergan-paper", "passed"] is False
    assert summary.loc["kmeans", "passed"] is None
    assert summary.loc["clustergan", "n_runs"] == 2
    assert np.isclose(summary.loc["clustergan", "accuracy_std"], 0.0)
    table = runner.markdown_table(summary.reset_index())
    assert table.count("pass") >= 2 and "fail" in table


def test_tuning_script_records_accuracy_against_cpu_time(capsys, one_thread):
    import json

    path = RUNNER_PATH.parent / "tuning_time_budget.py"
    spec = importlib.util.spec_from_file_location("skclustergan_tuning_time_budget", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import skclustergan._estimator as estimator_module
    import skclustergan._training as training_module

    build, step = estimator_module.build_mlp_networks, training_module.Trainer.train_step
    params = '{"latent_dim": 5, "hidden_layer_sizes": [32, 32]}'
    args = ["--dataset", "synthetic", "--seeds", "0", "--cap", "0.2", "--params", params]
    assert module.main([*args, "--critic-layer-norm"]) == 0
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert record["critic_layer_norm"] and record["params"]["latent_dim"] == 5
    (checkpoint,) = record["checkpoints"]
    assert checkpoint["iterations"] >= 50 and 0.0 < checkpoint["acc"] <= 1.0
    # the experiment's patches are undone afterwards
    assert estimator_module.build_mlp_networks is build
    assert training_module.Trainer.train_step is step


def test_batch_scaling_script_fits_fixed_and_per_row_cost(capsys, one_thread):
    path = RUNNER_PATH.parent / "batch_scaling.py"
    spec = importlib.util.spec_from_file_location("skclustergan_batch_scaling", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--batch-sizes", "16", "32", "--iterations", "3"]) == 0
    out = capsys.readouterr().out
    assert "| 16 |" in out and "| 32 |" in out
    assert "least-squares fit:" in out and "fixed cost" in out


def test_tuning_script_reports_the_final_accuracy_of_a_fixed_budget(capsys, one_thread):
    import json

    path = RUNNER_PATH.parent / "tuning_time_budget.py"
    spec = importlib.util.spec_from_file_location("skclustergan_tuning_time_budget", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    params = '{"latent_dim": 5, "hidden_layer_sizes": [16, 16], "learning_rate_schedule": "linear"}'
    args = ["--dataset", "synthetic", "--seeds", "0", "--cap", "0.01", "--max-iter", "120"]
    assert module.main([*args, "--params", params]) == 0
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # the fit ran to max_iter past the last checkpoint
    assert record["final"]["iterations"] == 120 and 0.0 < record["final"]["acc"] <= 1.0
    assert len(record["checkpoints"]) == 1 and record["checkpoints"][0]["iterations"] <= 120
    with pytest.raises(SystemExit):
        module.main([*args[:-1], "0"])
    assert "argument --max-iter: must be an integer >= 1, got '0'" in capsys.readouterr().err


@pytest.mark.parametrize("params", ["{bad", "[1]"])
def test_tuning_script_rejects_params_that_are_not_a_json_object(params, capsys):
    path = RUNNER_PATH.parent / "tuning_time_budget.py"
    spec = importlib.util.spec_from_file_location("skclustergan_tuning_time_budget", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--params", params])
    assert exit_info.value.code == 2
    assert "--params must be a JSON object" in capsys.readouterr().err


def test_runner_passes_the_learning_rate_schedule_on():
    runner = load_runner()
    args = runner.build_parser().parse_args(["--learning-rate-schedule", "linear"])
    assert runner.clustergan_params("mnist", args, seed=0)["learning_rate_schedule"] == "linear"
    default = runner.build_parser().parse_args([])
    assert "learning_rate_schedule" not in runner.clustergan_params("mnist", default, seed=0)
    line = runner.settings_lines(["digits"], args)[0]
    assert "learning_rate_schedule=linear" in line


def test_runner_passes_n_critic_on():
    runner = load_runner()
    args = runner.build_parser().parse_args(["--n-critic", "5"])
    assert runner.clustergan_params("mnist", args, seed=0)["n_critic"] == 5
    default = runner.build_parser().parse_args([])
    assert "n_critic" not in runner.clustergan_params("mnist", default, seed=0)
    assert "n_critic=5" in runner.settings_lines(["digits"], args)[0]


def test_runner_rejects_a_non_positive_n_critic(capsys):
    runner = load_runner()
    with pytest.raises(SystemExit) as exit_info:
        runner.main(["--datasets", "digits", "--n-critic", "0", "--no-plots"])
    assert exit_info.value.code == 2
    assert "--n-critic must be a positive integer, got 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seeds", "0", "-1"], "--seeds: -1 is not a seed in 0..4294967295"),
        (["--seeds", str(2**32)], "--seeds: 4294967296 is not a seed"),
        (["--data-seed", "-3"], "--data-seed: -3 is not a seed"),
        (["--threads", "0"], "--threads must be a positive integer, got 0"),
        (["--data-dir", "/nonexistent/skclustergan"],
         "--data-dir /nonexistent/skclustergan is not a directory"),
    ],
)
def test_runner_rejects_bad_options_before_running(capsys, tmp_path, argv, message):
    runner = load_runner()
    with pytest.raises(SystemExit) as exit_info:
        runner.main(["--datasets", "synthetic", "--no-plots", "--out", str(tmp_path), *argv])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_runner_reports_a_missing_data_set_in_one_line_and_keeps_earlier_results(
    capsys, tmp_path
):
    runner = load_runner()
    empty = tmp_path / "data"
    empty.mkdir()
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        runner.main(["--data-dir", str(empty), "--datasets", "synthetic", "pendigits",
                     "--subsample", "200", "--seeds", "0", "--methods", "kmeans",
                     "--no-plots", "--out", str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert ": error: pendigits: Pendigits data not found" in err  # after the program's name
    assert "Traceback" not in err and err.count("\n") == 1
    results = (out / "results.csv").read_text()
    assert "synthetic" in results and "pendigits" not in results


def test_runner_params_override_the_data_set_settings():
    runner = load_runner()
    parser = runner.build_parser()
    args = parser.parse_args(["--datasets", "digits", "--params",
                              '{"sigma": 0.05, "beta_n": 1.0}'])
    runner.check_args(parser, args)
    params = runner.clustergan_params("fashion-mnist", args, seed=3)
    assert (params["sigma"], params["beta_n"], params["random_state"]) == (0.05, 1.0, 3)
    expected = "- set by --params: sigma=0.05, beta_n=1.0"
    assert runner.settings_lines(["digits"], args)[-1] == expected
    default = parser.parse_args(["--datasets", "digits"])
    runner.check_args(parser, default)
    assert "sigma" not in runner.clustergan_params("digits", default, seed=0)


def test_runner_settings_list_the_options_shared_by_all_data_sets():
    runner = load_runner()
    parser = runner.build_parser()
    args = parser.parse_args(["--datasets", "mnist", "--precision", "bf16-mixed", "--compile"])
    assert runner.clustergan_params("mnist", args, seed=0)["precision"] == "bf16-mixed"
    shared = runner.settings_lines(["mnist"], args)[-1]
    assert "precision=bf16-mixed" in shared and "compile=True" in shared
    default = parser.parse_args(["--datasets", "digits"])
    assert "precision" not in runner.clustergan_params("digits", default, seed=0)
    assert "precision=float32" in runner.settings_lines(["digits"], default)[-1]


@pytest.mark.parametrize("params, message", [
    ('{"sigmaa": 0.05}', "--params: ClusterGAN has no parameter 'sigmaa'"),
    ('{"random_state": 3}', "--params must not set random_state"),
    ("[0.05]", "--params must be a JSON object of ClusterGAN parameters, got '[0.05]'"),
])
def test_runner_rejects_params_it_cannot_pass_on(params, message, capsys):
    runner = load_runner()
    with pytest.raises(SystemExit) as exit_info:
        runner.main(["--datasets", "digits", "--params", params, "--no-plots"])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def _load_script(name: str) -> ModuleType:
    path = RUNNER_PATH.parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"skclustergan_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_learning_curve_script_records_each_chunk_and_the_paper_readout(tmp_path, capsys,
                                                                        one_thread):
    import json

    module = _load_script("learning_curve")
    out = tmp_path / "curve.jsonl"
    params = '{"hidden_layer_sizes": [16, 16]}'
    argv = ["--dataset", "synthetic", "--chunk", "15", "--max-iter", "30", "--device", "cpu",
            "--params", params, "--out", str(out)]
    assert module.main(argv) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    checkpoints = [r for r in records if "accuracy" in r and "readout" not in r]
    assert [r["iterations"] for r in checkpoints] == [15, 30]
    assert checkpoints[0]["train_s"] <= checkpoints[1]["train_s"]
    assert all(0 <= r["accuracy"] <= 1 and {"nmi", "ari", "purity"} <= set(r) for r in records
               if "accuracy" in r)
    (paper,) = [r for r in records if r.get("readout") == "kmeans-on-latent"]
    assert paper["iterations"] == 30
    assert capsys.readouterr().out.count("\n") == len(records)


def test_learning_curve_script_reports_a_missing_data_set_in_one_line(tmp_path, capsys):
    module = _load_script("learning_curve")
    out = tmp_path / "curve.jsonl"
    argv = ["--dataset", "pendigits", "--data-dir", str(tmp_path), "--out", str(out)]
    assert module.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("learning_curve.py: error: pendigits: Pendigits data not found")
    assert err.count("\n") == 1 and not out.exists()


def _tiny_synthetic_curve(chunk: int, *more: str) -> list[str]:
    """learning_curve.py arguments for a fast fit of the synthetic mixture."""
    return ["--dataset", "synthetic", "--chunk", str(chunk), "--device", "cpu",
            "--params", '{"hidden_layer_sizes": [8]}', *more]


def test_learning_curve_script_saves_the_model_of_the_last_checkpoint(tmp_path, one_thread):
    import pickle

    module = _load_script("learning_curve")
    path = tmp_path / "model.pkl"
    argv = _tiny_synthetic_curve(10, "--max-iter", "20", "--save-model", str(path))
    assert module.main(argv) == 0
    with path.open("rb") as f:
        model = pickle.load(f)
    assert model.n_iter_ == 20
    assert model.predict(np.zeros((3, model.n_features_in_))).shape == (3,)
    assert [p.name for p in tmp_path.iterdir()] == ["model.pkl"]


def test_learning_curve_script_stops_at_the_time_limit(tmp_path, one_thread):
    module = _load_script("learning_curve")
    out = tmp_path / "curve.jsonl"
    argv = _tiny_synthetic_curve(5, "--time-limit", "0", "--out", str(out))
    assert module.main(argv) == 0
    assert out.read_text().count('"iterations": 5,') == 2  # one chunk, then the read-out


@pytest.mark.parametrize("params, expected", [
    ('{"architecture": "conv-small"}', "constant"),
    ('{"architecture": "conv-small", "learning_rate_schedule": "linear"}', "linear"),
])  # fmt: skip
def test_learning_curve_script_keeps_the_rate_constant_across_chunks_unless_told(
    params, expected, monkeypatch
):
    module = _load_script("learning_curve")
    built = []

    class Stop(Exception):
        pass

    def record(**kwargs):
        built.append(kwargs)
        raise Stop

    monkeypatch.setattr(module, "ClusterGAN", record)
    with pytest.raises(Stop):
        module.main(["--dataset", "synthetic", "--params", params])
    assert built[0]["learning_rate_schedule"] == expected


@pytest.mark.skipif(torch.cuda.is_available(), reason="tests the message without CUDA")
def test_gpu_speed_script_says_it_needs_cuda(capsys):
    assert _load_script("gpu_speed").main(["--out", "unused.md"]) == 2
    assert "needs a CUDA GPU" in capsys.readouterr().err


@pytest.mark.parametrize("params", ["{not json", "[1, 2]"])
def test_learning_curve_script_rejects_params_that_are_not_a_json_object(params, capsys):
    with pytest.raises(SystemExit) as exc:
        _load_script("learning_curve").main(["--dataset", "synthetic", "--params", params])
    assert exc.value.code == 2
    assert "--params must be a JSON object" in capsys.readouterr().err


# ------------------------------------------------------- option types of the scripts
@pytest.mark.parametrize(
    "kind, text, expected",
    [("positive_int", "3", 3), ("seed", "0", 0), ("seed", str(2**32 - 1), 2**32 - 1),
     ("positive_float", "0.5", 0.5)],
)
def test_cli_types_convert_good_values(kind, text, expected):
    cli_types = _load_script("cli_types")
    assert getattr(cli_types, kind)(text) == expected


@pytest.mark.parametrize(
    "kind, text, message",
    [("positive_int", "0", "must be an integer >= 1, got '0'"),
     ("positive_int", "2.5", "must be an integer, got '2.5'"),
     ("seed", "-1", "must be a seed in 0..4294967295, got '-1'"),
     ("seed", str(2**32), "must be a seed"),
     ("positive_float", "0", "must be a finite number > 0, got '0'"),
     ("positive_float", "inf", "must be a finite number > 0"),
     ("positive_float", "nan", "must be a finite number > 0"),
     ("positive_float", "x", "must be a number, got 'x'")],
)
def test_cli_types_reject_bad_values_with_a_message(kind, text, message):
    import argparse

    cli_types = _load_script("cli_types")
    with pytest.raises(argparse.ArgumentTypeError, match=re.escape(message)):
        getattr(cli_types, kind)(text)


@pytest.mark.parametrize(
    "script, argv, message",
    [
        ("batch_scaling", ["--threads", "0"], "argument --threads: must be an integer >= 1"),
        ("batch_scaling", ["--batch-sizes", "64", "0"], "argument --batch-sizes: must be an"),
        ("memmap_fit", ["--rows", "0", "--create-only"], "argument --rows: must be an integer"),
        ("memmap_fit", ["--threads", "0", "--create-only"], "argument --threads: must be an"),
        ("tuning_time_budget", ["--seeds", "-1"], "argument --seeds: must be a seed"),
        ("tuning_time_budget", ["--cap", "0"], "argument --cap: must be a finite number > 0"),
        ("gpu_speed", ["--quality-seeds", "-1"], "argument --quality-seeds: must be a seed"),
    ],
)
def test_scripts_reject_bad_options_before_any_work(capsys, tmp_path, script, argv, message):
    module = _load_script(script)
    with pytest.raises(SystemExit) as exit_info:
        module.main([*argv, *(["--path", str(tmp_path / "x.f32")] if script == "memmap_fit"
                              else [])])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # memmap_fit created no data file


def test_tuning_script_reports_a_missing_data_set_in_one_line(capsys, tmp_path):
    module = _load_script("tuning_time_budget")
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--dataset", "pendigits", "--data-dir", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "error: pendigits: Pendigits data not found" in err and "Traceback" not in err
