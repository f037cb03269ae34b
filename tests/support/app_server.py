"""A real ``streamlit run`` of this app on a free port, for tests and benchmarks that
need the server itself: several at once against one database, killed with SIGKILL,
restarted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qa_app.settings import PROJECT_ROOT

START_TIMEOUT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``start()`` serves the app at ``base_url``; ``kill()`` ends it like a crash."""

    def __init__(
        self,
        database_url: str,
        *,
        port: int | None = None,
        log_dir: Path | None = None,
        environment: dict[str, str] | None = None,
        via_secrets: bool = False,
        secrets: str = "",
    ):
        """``via_secrets`` gives the database URL in a ``secrets.toml`` file instead of the
        environment, as docs/deployment.md allows; ``secrets`` is more of that file (an
        ``[auth]`` section for single sign-on, say)."""
        self.database_url = database_url
        self.via_secrets = via_secrets
        self.secrets = secrets
        self.port = port or free_port()
        self.log_path = (log_dir or Path("/tmp")) / f"streamlit-{self.port}.log"
        self.environment = environment or {}
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        environment = {**os.environ, "QA_DATABASE_URL": self.database_url, **self.environment}
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        if self.via_secrets or self.secrets:
            secrets = self.log_path.with_name(f"secrets-{self.port}.toml")
            database = f'QA_DATABASE_URL = "{self.database_url}"\n' if self.via_secrets else ""
            secrets.write_text(database + self.secrets, encoding="utf-8")
            if self.via_secrets:
                del environment["QA_DATABASE_URL"]
            command += ["--secrets.files", str(secrets)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_healthy()
        return self

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/_stcore/health", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log_path}")
            if self.healthy():
                return
            time.sleep(0.3)
        raise RuntimeError(
            f"streamlit did not become healthy in {START_TIMEOUT_SECONDS}s; see {self.log_path}"
        )

    def kill(self) -> None:
        """End the server at once, as a crash or an out-of-memory kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def serving(database_url: str, log_dir: Path, **options) -> Iterator[str]:
    """An ``AppServer`` (with ``options``) started for the block; yields its address."""
    app = AppServer(database_url, log_dir=log_dir, **options).start()
    try:
        yield app.base_url
    finally:
        app.stop()
