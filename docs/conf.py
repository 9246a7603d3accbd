"""Sphinx configuration of the skclustergan documentation.

Build with (from the repository root)::

    python3 -m pip install -r docs/requirements.txt
    sphinx-build -W -b html docs docs/_build/html

The example pages train small ClusterGAN models while the site is built
(``.. plot::`` blocks and the ``example-output`` directive of
``docs/_ext/skclustergan_docs.py``); the whole build takes one to three minutes
on a laptop CPU.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
# Document the checkout this file belongs to, even when another copy is installed.
sys.path.insert(0, str(DOCS.parent))

import torch  # noqa: E402

import skclustergan  # noqa: E402

# The examples use tiny networks: one thread is faster than several contending ones.
torch.set_num_threads(int(os.environ.get("SKCLUSTERGAN_DOCS_THREADS", "1")))

# -- Project -----------------------------------------------------------------
project = "skclustergan"
author = "skclustergan developers"
copyright = "skclustergan developers"
release = skclustergan.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
    "skclustergan_docs",
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "requirements.txt"]
default_role = "literal"

# -- autodoc / autosummary / numpydoc -----------------------------------------
autosummary_generate = True
autodoc_typehints = "none"  # the numpydoc "Parameters" sections carry the types
autodoc_member_order = "bysource"
numpydoc_show_class_members = False  # methods are listed by the class template
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- matplotlib plot directive (pictures made by running the examples) ---------
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_rcparams = {"figure.dpi": 100, "savefig.bbox": "tight"}
plot_pre_code = "import numpy as np\nfrom matplotlib import pyplot as plt\n"

# -- HTML ----------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"skclustergan {release}"
html_theme_options = {
    "description": "ClusterGAN as a scikit-learn clusterer, on PyTorch",
    "fixed_sidebar": True,
    "page_width": "1100px",
    "sidebar_width": "230px",
}
html_static_path: list[str] = []
