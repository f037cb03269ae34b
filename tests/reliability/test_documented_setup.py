"""The deployment guide's PostgreSQL steps, run as written on the throwaway server: the
two roles and the database (section 1), migrate, grant and readiness (section 3), the
first admin, then two app servers bound to 127.0.0.1 that the admin signs in through."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from qa_app.settings import PROJECT_ROOT
from tests.support import browser as ui
from tests.support.app_server import AppServer

pytestmark = [pytest.mark.postgres, pytest.mark.browser]

GUIDE = (PROJECT_ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
ADMIN_PASSWORD = "first admin's long password"


def _section(title: str) -> str:
    start = GUIDE.index(f"## {title}")
    return GUIDE[start : GUIDE.index("\n## ", start + 3)]


def _code_lines(text: str) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.replace("\\\n", " ").splitlines()
        if line.strip()
    ]


def _run(command: list[str], environment: dict[str, str] | None = None, stdin: str = "") -> str:
    result = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    return result.stdout


def _qa_app(url: str, *arguments: str, stdin: str = "") -> str:
    import os

    environment = {**os.environ, "QA_DATABASE_URL": url}
    environment.pop("QA_DEMO", None)
    return _run([sys.executable, "-m", "qa_app.cli", *arguments], environment, stdin)


def _other_address() -> str | None:
    """This machine's address on its network, if it has one besides the loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_guide_runs_as_written_and_signs_in_through_two_servers(
    postgres_server, browser, tmp_path
):
    setup = [
        line
        for line in _code_lines(_section("1. The database"))
        if line.startswith("sudo -u postgres ")
    ]
    assert len(setup) == 3 and all(line in README for line in setup), (
        "README and guide give the same set-up"
    )
    for line in setup:
        program, *arguments = shlex.split(line.removeprefix("sudo -u postgres "))
        # Run as the server's superuser; the throwaway server trusts it, so no password prompt.
        arguments = [argument for argument in arguments if argument != "--pwprompt"]
        _run(
            [
                str(postgres_server.bin_dir / program),
                "-h",
                "127.0.0.1",
                "-p",
                str(postgres_server.port),
                "-U",
                "qa",
                *arguments,
            ]
        )

    urls = {}
    for line in _code_lines(_section("3. Migrate once")):
        if "uv run qa-app" not in line:
            continue
        assignment, command = line.split(" uv run qa-app ")
        url = assignment.removeprefix("QA_DATABASE_URL=").replace(
            "db.internal", f"127.0.0.1:{postgres_server.port}"
        )
        arguments = shlex.split(command, comments=True)
        out = _qa_app(url, *arguments)
        urls[arguments[0]] = url
        if arguments == ["ready"]:
            assert out.strip() == "ready"
    assert set(urls) == {"db", "ready"} and "ehcp_app" in urls["ready"]
    runtime_url = urls["ready"]

    _qa_app(
        runtime_url,
        "users",
        "add",
        "alice",
        "--name",
        "Alice Jones",
        "--role",
        "admin",
        "--password-stdin",
        stdin=ADMIN_PASSWORD + "\n",
    )

    servers = [
        AppServer(runtime_url, log_dir=tmp_path, environment={"QA_DEMO": "0"}) for _ in range(2)
    ]
    try:
        for server in servers:
            server.start()
        for server in servers:
            log = server.log_path.read_text(encoding="utf-8")
            assert f"URL: http://127.0.0.1:{server.port}" in log and "External URL" not in log
            page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
            ui.sign_in(page, server.base_url, "alice", ADMIN_PASSWORD)
            expect(page.get_by_text("Alice Jones").first).to_be_visible(timeout=ui.TIMEOUT_MS)
            expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=ui.TIMEOUT_MS)
            page.context.close()
        other = _other_address()
        if other is not None:
            with (
                pytest.raises(OSError),
                socket.create_connection((other, servers[0].port), timeout=2),
            ):
                pass
    finally:
        for server in servers:
            server.stop()
