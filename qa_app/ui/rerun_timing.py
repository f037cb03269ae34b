"""How long a page takes to redraw, measured with Streamlit's AppTest (for benchmarks):
the page runs as a signed-in browser session would run it, once to warm up, then again
and again with nothing changed."""

from __future__ import annotations

import statistics
import time

from streamlit.testing.v1 import AppTest

from qa_app.settings import Settings
from qa_app.ui.app_settings import SETTINGS_KEY
from qa_app.ui.session import ACTOR_KEY


def _page_script(module_name: str) -> None:
    from importlib import import_module

    import_module(module_name).render()


def median_rerun_ms(
    module_name: str, actor, query_params: dict[str, str], reruns: int, settings: Settings
) -> float:
    at = AppTest.from_function(_page_script, args=(module_name,), default_timeout=120)
    at.session_state[SETTINGS_KEY] = settings
    at.session_state[ACTOR_KEY] = actor
    for name, value in query_params.items():
        at.query_params[name] = value
    at.run()
    if at.exception:
        raise RuntimeError(f"{module_name} failed: {at.exception[0].message}")
    timings = []
    for _ in range(reruns):
        started = time.perf_counter()
        at.run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
