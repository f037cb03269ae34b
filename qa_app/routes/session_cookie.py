"""``POST /api/session``: the page of a person who has just signed in hands over the
new session's token once, and gets it back as an HttpOnly, Secure, SameSite=Strict
cookie.

Browsers keep Secure cookies from ``http://localhost`` and ``http://127.0.0.1`` (they
count as secure contexts), so the local one-command run works; any other address must be
served over HTTPS (docs/deployment.md)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from qa_app.routes.guard import database, same_origin
from qa_app.services import browser_sessions
from qa_app.settings import get_settings


def _claim(token: str) -> bool:
    with database() as session:
        return browser_sessions.claim_cookie(session, token)


async def set_session_cookie(request: Request) -> Response:
    if not same_origin(request):
        return Response("refused: not sent by a page of this app", status_code=403)
    form = await request.form()
    token = str(form.get("token") or "")
    if not token or not await run_in_threadpool(_claim, token):
        return Response("refused: unknown or already used", status_code=403)
    response = Response(status_code=204)
    response.set_cookie(
        browser_sessions.COOKIE_NAME,
        token,
        max_age=get_settings().session_max_hours * 3600,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
