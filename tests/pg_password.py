"""A private PostgreSQL server that asks for passwords (scram-sha-256), for the tests of
logging in: the shared test server trusts every local connection, so it cannot say
whether a password was right. Started once per test session from the same PostgreSQL
installation, on a free loopback port, in a temporary folder; stopped at the end."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

SUPERUSER_PASSWORD = "Pr0va-amministratore"  # noqa: S105 - a throw-away test server


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"{name} is not installed")
    return candidates[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PasswordServer:
    """The private server: ``url(user, password)`` and ``create_role``."""

    def __init__(self, folder: Path, port: int, run_as: list[str]) -> None:
        self.folder = folder
        self.port = port
        self._run_as = run_as

    def url(self, user: str, database: str = "postgres", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password is not None else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            password=SUPERUSER_PASSWORD,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def stop(self) -> None:
        subprocess.run(
            [
                *self._run_as,
                _bin("pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )


@contextlib.contextmanager
def password_server() -> Iterator[PasswordServer]:
    folder = Path(tempfile.mkdtemp(prefix="acc-pgpw-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres user
        run_as = ["runuser", "-u", "postgres", "--"]
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    pwfile = folder / "pw"
    pwfile.write_text(SUPERUSER_PASSWORD)
    if run_as:
        os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
    subprocess.run(
        [
            *run_as,
            _bin("initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
            "--no-sync",
        ],
        capture_output=True,
        check=True,
    )
    port = _free_port()
    subprocess.run(
        [
            *run_as,
            _bin("pg_ctl"),
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ],
        capture_output=True,
        check=True,
    )
    server = PasswordServer(folder, port, run_as)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
