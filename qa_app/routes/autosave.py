"""``POST /api/autosave``: the last text of a typed field, sent with
``navigator.sendBeacon`` as the page is hidden or closed (a Streamlit websocket message
sent then is often lost).

Checked like any other save: the session cookie names the person (a live session, not
revoked or expired), the CSRF token must be the one derived from that cookie, and the
save itself checks permissions and the record's version."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from qa_app.routes.guard import database, same_origin
from qa_app.services import browser_sessions, typed_text
from qa_app.services.errors import ServiceError
from qa_app.settings import get_settings

log = logging.getLogger(__name__)
MAX_TEXT = 100_000


def _save(token: str, field: typed_text.TypedField, text: str, version: int) -> tuple[int, dict]:
    settings = get_settings()
    with database() as session:
        signed_in = browser_sessions.resume(
            session, browser_sessions.policy_for(settings), token=token
        )
        if signed_in is None:
            return 401, {"saved": False, "problem": "not signed in"}
    try:
        with database() as session:
            new_version = typed_text.save_typed(
                session, signed_in.actor, field, text, expected_version=version
            )
    except ServiceError as problem:
        # The message names the problem (stale version, locked audit), never the text.
        log.info("a closing page's save was refused: %s", type(problem).__name__)
        return 409, {"saved": False, "problem": str(problem)}
    return 200, {"saved": True, "version": new_version}


async def save_on_close(request: Request) -> JSONResponse:
    if not same_origin(request):
        return JSONResponse(
            {"saved": False, "problem": "not sent by a page of this app"}, status_code=403
        )
    token = request.cookies.get(browser_sessions.COOKIE_NAME)
    form = await request.form()
    if not token or not browser_sessions.csrf_matches(token, form.get("csrf")):
        return JSONResponse(
            {"saved": False, "problem": "no valid session or CSRF token"}, status_code=403
        )
    text = str(form.get("text") or "")
    try:
        field = typed_text.TypedField(
            str(form.get("kind")), int(form.get("record")), str(form.get("target") or "")
        )
        version = int(form.get("version"))
    except (TypeError, ValueError, ServiceError):
        return JSONResponse({"saved": False, "problem": "malformed save"}, status_code=400)
    if len(text) > MAX_TEXT:
        return JSONResponse({"saved": False, "problem": "text too long"}, status_code=413)
    status, body = await run_in_threadpool(_save, token, field, text, version)
    return JSONResponse(body, status_code=status)
