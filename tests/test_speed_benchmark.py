"""Bookkeeping of ``benchmarks/speed.py`` (its timings are benchmarks, not tests)."""

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import speed


def _round(best_s, peak, traced, times):
    return {
        "method": "transform",
        "rows": 1000,
        "best_s": best_s,
        "times_s": times,
        "peak_extra_bytes": peak,
        "rusage_extra_bytes": peak,
        "polled_extra_bytes": peak // 2,
        "tracemalloc_peak_bytes": traced,
    }


def test_inference_rounds_keep_the_best_time_and_the_largest_peak_memory():
    rounds = [
        _round(2.0, 10, 5, [2.0, 2.5]),
        _round(1.0, 30, 4, [1.0, 1.2]),
        _round(1.5, 20, 9, [1.5]),
    ]
    merged = speed.merge_inference_rounds(rounds)
    assert merged["best_s"] == 1.0
    assert merged["peak_extra_bytes"] == 30 and merged["rusage_extra_bytes"] == 30
    assert merged["polled_extra_bytes"] == 15 and merged["tracemalloc_peak_bytes"] == 9
    assert merged["times_s"] == [2.0, 2.5, 1.0, 1.2, 1.5] and merged["rounds"] == 3
    assert rounds[1]["times_s"] == [1.0, 1.2]  # the inputs are not modified


def test_inference_rounds_interleave_the_commands(monkeypatch):
    calls = []

    def fake_run(method, settings, threads):
        calls.append(method)
        return _round(1.0, 1, 1, [1.0]) | {"method": method}

    monkeypatch.setattr(speed, "run_inference", fake_run)
    settings = dataclasses.replace(speed.QUICK, inference_rounds=2)
    merged = speed.run_inference_rounds(settings, threads=1)
    assert calls == ["predict", "transform", "kmeans"] * 2
    assert [m["method"] for m in merged] == ["predict", "transform", "kmeans"]


def test_flop_count_includes_in_place_addmm_and_matches_out_of_place():
    import torch

    a, b = torch.randn(8, 5), torch.randn(5, 7)
    acc = torch.zeros(8, 7)
    _, in_place = speed.count_flops(lambda: acc.addmm_(a, b))
    _, out_of_place = speed.count_flops(lambda: torch.addmm(acc, a, b))
    assert in_place == out_of_place == 2 * 8 * 5 * 7


def test_bf16_mixed_training_cases_count_the_float32_flops():
    """The bf16-mixed conv rows do the float32 rows' arithmetic, in another precision."""
    from functools import partial

    import torch

    cases = {c.label: c for c in speed.training_cases(n_conv_rows=64)}
    mixed = [c for c in cases.values() if c.params.get("precision") == "bf16-mixed"]
    assert sorted(c.architecture for c in mixed) == ["conv", "conv-small"]
    (small,) = [c for c in mixed if c.architecture == "conv-small"]
    (plain,) = [c for c in cases.values() if c.architecture == "conv-small" and c is not small]
    counts = []
    for case in (plain, small):
        _, trainer, data = speed._setup_fast(case, seed=0)
        out = torch.zeros(4)
        counts.append(speed.count_flops(partial(trainer.train_step, data, out))[1])
        assert torch.isfinite(out).all()
    assert counts[0] == counts[1] > 5e9  # conv-small: about 6 GFLOP per iteration


def test_options_out_of_range_are_rejected_before_any_measurement(capsys):
    import pytest

    for argv, message in ((["--quality-cap", "0"], "argument --quality-cap: must be a finite"),
                          (["--quality-cap", "nan"], "argument --quality-cap: must be a finite"),
                          (["--threads", "0"], "--threads must be at least 1")):
        with pytest.raises(SystemExit) as exit_info:
            speed.parse_args(argv)
        assert exit_info.value.code == 2 and message in capsys.readouterr().err
    assert speed.parse_args(["--quality-cap", "2.5"]).quality_cap == 2.5


def test_the_machine_limit_is_the_better_of_the_blas_and_onednn():
    nan = float("nan")
    first = speed.Rates(blas=2e11, onednn=4.5e11, small_blas=1.6e11, small_onednn=nan, bf16=8e11)
    assert first.peak == 4.5e11 and first.small == 1.6e11  # a missing oneDNN rate is skipped
    second = speed.Rates(blas=2.1e11, onednn=4.2e11, small_blas=1.5e11, small_onednn=nan, bf16=nan)
    best = first.best_of(second)
    assert (best.blas, best.onednn, best.small_blas, best.bf16) == (2.1e11, 4.5e11, 1.6e11, 8e11)
    assert best.small_onednn != best.small_onednn  # NaN only where both runs lack it
    assert "onednn 450.0 GFLOP/s" in best.summary()
    assert "small_onednn not available" in best.summary()
