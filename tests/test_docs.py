"""Documentation checks: the docstring examples run, and the Sphinx site builds.

The docstring examples (``>>>``) of every public module run in the default
suite. The full ``sphinx-build -W`` (which also runs the example pages, each
training small models) is marked slow: ``python3 -m pytest -m slow
tests/test_docs.py``.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import skclustergan

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# modules whose docstrings must hold examples (a finder that finds nothing is a bug)
WITH_EXAMPLES = {"skclustergan._estimator", "skclustergan.datasets", "skclustergan.metrics"}


def public_modules() -> list[str]:
    """Public submodules of the package, and the modules its public names live in."""
    names = {
        f"{skclustergan.__name__}.{info.name}"
        for info in pkgutil.iter_modules(skclustergan.__path__)
        if not info.name.startswith("_")
    }
    for name in skclustergan.__all__:
        obj = getattr(skclustergan, name)
        module = getattr(obj, "__module__", None)
        if module and module.startswith(skclustergan.__name__ + "."):
            names.add(module)
    return sorted(names)


def test_public_modules_are_found():
    modules = public_modules()
    for expected in ("skclustergan._estimator", "skclustergan.datasets", "skclustergan.metrics"):
        assert expected in modules


@pytest.mark.parametrize("module_name", public_modules())
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module, module_name):
        runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, "".join(report)
    if module_name in WITH_EXAMPLES:
        assert results.attempted > 0, f"no docstring examples found in {module_name}"


@pytest.mark.slow
def test_sphinx_build(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    pytest.importorskip("matplotlib")
    html = tmp_path / "html"
    command = [
        sys.executable, "-m", "sphinx",
        "-W", "--keep-going", "-E", "-q",
        "-b", "html",
        "-d", str(tmp_path / "doctrees"),
        str(DOCS), str(html),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-8000:]}"
    for page in (
        "index.html",
        "user_guide.html",
        "api.html",
        "cli.html",
        "generated/skclustergan.ClusterGAN.html",
        "examples/grid_search.html",
        "examples/digits_kmeans.html",
        "examples/digit_samples.html",
    ):
        assert (html / page).is_file(), page
    assert list((html / "_images").glob("*.png")), "the example pages drew no pictures"
    assert 'id="user-guide"' in (html / "user_guide.html").read_text(encoding="utf-8")
