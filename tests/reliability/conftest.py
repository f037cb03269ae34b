"""A shared working floor on PostgreSQL served by two ``streamlit run`` processes, and a
headless Chromium to drive them."""

from __future__ import annotations

import itertools

import pytest

from qa_app.benchmarks import workload
from qa_app.store.engine import engine_for, session_scope
from tests.support.app_server import AppServer
from tests.support.browser import chromium_path, launch

_names = itertools.count()


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        pytest.skip("browser tests skipped: chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def floor(floor_url) -> workload.Floor:
    with session_scope(floor_url) as session:
        return workload.open_floor(session)


@pytest.fixture(scope="module")
def floor_url(postgres_server):
    url = postgres_server.create_database(f"floor_{next(_names)}", template="qa_template")
    yield url
    engine_for(url).dispose()


@pytest.fixture(scope="module")
def two_servers(floor_url, tmp_path_factory):
    logs = tmp_path_factory.mktemp("servers")
    # One server takes the database URL from its environment, the other from secrets.toml.
    servers = [
        AppServer(floor_url, log_dir=logs, via_secrets=via_secrets) for via_secrets in (False, True)
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()
