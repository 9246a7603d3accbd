"""Small Sphinx helpers of the skclustergan documentation.

``.. cli-help:: [SUBCOMMAND]``
    The ``--help`` text of the ``skclustergan`` command (or of one
    subcommand), produced by the installed parser while the docs are built, so
    the CLI page cannot drift from the code.

``.. example-output::``
    Runs its Python content in the namespace shared by the ``.. plot::``
    blocks with the ``:context:`` option on the same page, and shows the code
    and what it printed. Example pages start with a ``.. plot::`` block whose
    option is ``:context: reset``, so nothing leaks from page to page. Any
    exception fails the build. Option ``:hide-code:`` shows the output only.

It also quotes attribute names such as ``n_iter_`` in numpydoc type fields
(which reStructuredText would otherwise read as links), and leaves
``parallel`` out of the index toctree while ``docs/parallel.rst`` is missing.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import traceback
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

HELP_COLUMNS = "88"


def cli_help_text(subcommand: str | None = None) -> str:
    """``skclustergan [SUBCOMMAND] --help`` as printed at a terminal HELP_COLUMNS wide."""
    from skclustergan.cli import main

    argv = [subcommand, "--help"] if subcommand else ["--help"]
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            status = main(argv)
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    if status != 0:
        raise RuntimeError(f"skclustergan {' '.join(argv)} exited with status {status}")
    return buffer.getvalue().rstrip() + "\n"


class CLIHelp(SphinxDirective):
    """``.. cli-help:: [SUBCOMMAND]``: the help text of the command line."""

    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        subcommand = self.arguments[0] if self.arguments else None
        try:
            text = cli_help_text(subcommand)
        except Exception as exc:  # report it at the directive's line
            raise self.error(f"cli-help {subcommand or ''}: {exc}") from exc
        command = " ".join(["skclustergan", *([subcommand] if subcommand else []), "--help"])
        block = nodes.literal_block(f"$ {command}\n{text}", f"$ {command}\n{text}")
        block["language"] = "console"
        return [block]


def _shared_namespace() -> dict:
    """The namespace of the ``.. plot:: :context:`` blocks (a module global of matplotlib)."""
    from matplotlib.sphinxext import plot_directive

    return plot_directive.plot_context


class ExampleOutput(SphinxDirective):
    """``.. example-output::``: run code in the page's plot context and show its output."""

    has_content = True
    option_spec: ClassVar[dict] = {"hide-code": directives.flag}

    def run(self) -> list[nodes.Node]:
        code = "\n".join(self.content)
        buffer = io.StringIO()
        try:
            compiled = compile(code, f"<{self.env.docname}: example-output>", "exec")
            with contextlib.redirect_stdout(buffer):
                exec(compiled, _shared_namespace())  # noqa: S102 - running examples is the point
        except Exception:  # noqa: BLE001 - any failure of an example fails the build
            raise self.error(
                f"example-output in {self.env.docname} failed:\n{traceback.format_exc()}"
            ) from None
        result: list[nodes.Node] = []
        if "hide-code" not in self.options:
            source = nodes.literal_block(code, code)
            source["language"] = "python"
            result.append(source)
        text = buffer.getvalue().rstrip("\n")
        if text:
            output = nodes.literal_block(text, text, classes=["example-output"])
            output["language"] = "none"
            result.append(output)
        return result


# "name : type" lines of numpydoc sections, e.g. "history_ : dict ... (n_iter_,)".
_NUMPYDOC_ITEM = re.compile(r"^\s*[\w, ]+ : ")
# an attribute name ending in "_" that docutils would read as a link, e.g. "(n_iter_,)"
_BARE_ATTRIBUTE = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?=[,)\]])")


def _quote_attribute_names_in_types(app, what, name, obj, options, lines) -> None:
    """Quote attribute names in numpydoc types: ``(n_iter_,)`` -> ````(``n_iter_``,)````.

    Unquoted, reStructuredText reads ``n_iter_`` as a reference to a target
    "n_iter" and docutils reports an error. Runs before numpydoc; a no-op once
    the docstrings quote such names themselves (scikit-learn writes
    ``(`n_iter_`,)``).
    """
    for i, line in enumerate(lines):
        match = _NUMPYDOC_ITEM.match(line)
        if match:
            end = match.end()
            head, rest = line[:end], line[end:]
            lines[i] = head + _BARE_ATTRIBUTE.sub(r"``\1``", rest)


def _skip_missing_toctree_entries(app, docname: str, source: list[str]) -> None:
    """Drop ``parallel`` from the index toctree until ``docs/parallel.rst`` exists.

    ``docs/parallel.rst`` is written separately from the rest of the site; this
    keeps ``sphinx-build -W`` usable in a checkout that does not have it yet.
    """
    if docname != "index" or os.path.exists(os.path.join(app.srcdir, "parallel.rst")):
        return
    logger.info("docs/parallel.rst is missing: left out of the index toctree")
    source[0] = source[0].replace("\n   parallel\n", "\n")


def setup(app):
    app.add_directive("cli-help", CLIHelp)
    app.add_directive("example-output", ExampleOutput)
    app.connect("source-read", _skip_missing_toctree_entries)
    # before numpydoc's handler (default priority 500) reformats the docstring
    app.connect("autodoc-process-docstring", _quote_attribute_names_in_types, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
