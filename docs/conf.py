"""Sphinx configuration of the policykit documentation.

Build (warnings are errors, every cross-reference must resolve)::

    sphinx-build -n -W --keep-going -b html docs docs/_build/html
    sphinx-build -n -W -b doctest docs docs/_build/doctest

Only the standard extensions (autodoc, doctest) and one local extension,
``_ext/policykit_docs.py``, which generates the tables of number words, units,
diagnostic codes and records, and the page of every bundled policy, from the code
itself. Nothing here touches the network (no intersphinx).
"""

from __future__ import annotations

import sys
from pathlib import Path

import policykit

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "policykit"
author = "the policykit maintainers"
copyright = "the policykit maintainers"
release = policykit.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "policykit_docs",
]

language = "en"
exclude_patterns = ["_build"]
nitpicky = True
root_doc = "index"
default_role = "literal"  # `x` reads as code; real references are always explicit roles

# ---------------------------------------------------------------- autodoc

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}

# Names that appear in signatures and docstrings of the public API but that these docs
# cannot resolve: the standard library and attrs are not documented here, and
# intersphinx is not used (no network during the build). Each entry says why.
nitpick_ignore = [
    # standard library types in signatures (intersphinx would link them to docs.python.org)
    ("py:class", "datetime.date"),
    ("py:class", "decimal.Decimal"),
    ("py:class", "fractions.Fraction"),
    ("py:class", "pathlib.Path"),
    ("py:class", "enum.Enum"),
    ("py:class", "enum.IntEnum"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "importlib.resources.abc.Traversable"),
    ("py:class", "typing.Self"),
    # the type variables of policykit.records (FrozenMap[V], structure(data, cls: type[T]))
    ("py:class", "policykit.records.T"),
    ("py:class", "policykit.records.V"),
    ("py:obj", "policykit.records.V"),
    # Result.trace returns the internal explanation tree; its public forms are
    # Result.explain() and Result.to_dict(), documented instead
    ("py:class", "policykit.trace.Trace"),
    # the docstrings of policykit.records.structure and load_data write :class:`RecordError`
    # unqualified; it is documented as policykit.RecordError (reported upstream)
    ("py:class", "RecordError"),
]

# ---------------------------------------------------------------- doctest

# Examples run against the installed package, and compare output exactly.
doctest_global_setup = ""
trim_doctest_flags = True

# ---------------------------------------------------------------- HTML

html_theme = "alabaster"
html_title = f"policykit {release}"
html_static_path = ["_static"]
html_css_files = ["policykit.css"]
html_theme_options = {
    "description": "Chinese innovation-policy instruments as declarative, explained rules",
    "fixed_sidebar": False,
    "page_width": "1180px",
    "sidebar_width": "230px",
}
