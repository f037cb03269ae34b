"""A throwaway PostgreSQL server in a temporary directory, started from the machine's
own server binaries (``initdb``/``pg_ctl``). The benchmarks run on it, and the tests
borrow it.

PostgreSQL refuses to run as root; when we are root the server runs as the ``postgres``
system user that Debian's package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

from qa_app.store.postgres_tools import server_bin_dir


class PostgresUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """``start()`` a private server; ``create_database(name)`` returns a SQLAlchemy URL."""

    def __init__(self, *, durable: bool = False):
        # Tests run with fsync off for speed; ``durable`` keeps PostgreSQL's own defaults
        # (fsync, synchronous commit, full-page writes), as a real deployment has them.
        self.durable = durable
        self.bin_dir = server_bin_dir()
        if self.bin_dir is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
            )
        self.run_as = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root and there is no 'postgres' user to run the server"
                ) from None
            self.run_as = "postgres"
        self.root = Path(tempfile.mkdtemp(prefix="qa-pg-"))
        self.port = _free_port()

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            user=self.run_as,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}"
            )

    def start(self) -> ThrowawayPostgres:
        if self.run_as:
            shutil.chown(self.root, user=self.run_as)
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", "qa", "--auth=trust", "-E", "UTF8", "--no-sync")
        speed = (
            ""
            if self.durable
            else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {speed}-c max_connections=200"
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "start",
        )
        return self

    @property
    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=qa dbname=postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://qa@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(self.admin_dsn, autocommit=True) as connection:
            clause = f" TEMPLATE {template}" if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
