"""Checks shared by the routes: the request comes from a page of this app (CSRF), and
the database work runs off the event loop."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import urlsplit

from sqlalchemy.orm import Session
from starlette.requests import Request

from qa_app.settings import get_settings
from qa_app.store.engine import session_scope, upgrade


def same_origin(request: Request) -> bool:
    """A browser names the page's origin on every POST; a page of another site cannot
    make it ours. Fetch metadata, where sent, must agree."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin).netloc == request.headers.get("host")


@lru_cache(maxsize=4)
def _migrated(url: str) -> None:
    upgrade(url)


@contextmanager
def database() -> Iterator[Session]:
    """A session on the app's database, migrated first if a route is the first to ask."""
    url = get_settings().database_url
    _migrated(url)
    with session_scope(url) as session:
        yield session
