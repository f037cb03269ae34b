"""The figures behind ``qa-app bench``.

Each module here registers functions with ``@figure``; a figure function returns a dict
of named numbers. Modules are listed in ``FIGURE_MODULES`` in run order. A figure
registered with ``scales=True`` takes ``scale``: when true (``qa-app bench --scale``) it
also measures at each of ``SCALE_SIZES`` (read when it runs), adding ``NAME_ENGINE_SIZE``
figures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

FIGURE_MODULES = [
    "foundation",
    "ingest",
    "audit",
    "dashboard",
    "load",
    "security",
    "reports",
    "classifier",
    "provision",
    "evidence",
]

# ``qa-app bench --scale``: the database sizes, as named in ``NAME_ENGINE_SIZE``.
SCALE_SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}

_FIGURES: dict[str, Callable[[], dict[str, float]]] = {}


def figure(name: str, *, scales: bool = False):
    def register(function):
        function.scales = scales
        _FIGURES[name] = function
        return function

    return register


def available() -> dict[str, Callable[[], dict[str, float]]]:
    for module in FIGURE_MODULES:
        importlib.import_module(f"qa_app.benchmarks.{module}")
    return dict(_FIGURES)
