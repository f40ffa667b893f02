"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is reached at ``ACCOGLIENZA_TEST_PG`` (default: the local server with trust
authentication). Without it tests are skipped, except where ``CI=true``: there a
missing PostgreSQL is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ACCOGLIENZA_LANGUAGE", "it")
# The temporary folders of tests may be RAM disks (tmpfs), which a real database refuses
# (models.database.is_ram_disk); the tests of that refusal unset it.
os.environ.setdefault("ACCOGLIENZA_ALLOW_RAM_DISK", "1")

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from models import i18n, schema  # noqa: E402
from models.backend import Backend  # noqa: E402
from models.database import Database  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "ACCOGLIENZA_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ON_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Settings, logs and the default database of tests go to a temporary home."""
    home = tmp_path_factory.mktemp("home")
    old = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "HOME")}
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["HOME"] = str(home)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[object]:
    """Passwords go to a credential store in memory, fresh for each test."""
    import keyring

    from tests.memory_keyring import MemoryKeyring

    store = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    i18n.set_language(os.environ.get("ACCOGLIENZA_LANGUAGE", "it"))
    yield
    i18n.set_language(os.environ.get("ACCOGLIENZA_LANGUAGE", "it"))


def _pg_available() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).splitlines()[0]


class PgServer:
    """Creates throw-away databases on the test PostgreSQL server."""

    def __init__(self) -> None:
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []
        self.template: str | None = None

    def url(self, name: str) -> str:
        return str(self.admin.url.set(database=name).render_as_string(hide_password=False))

    def create(self, *, migrated: bool = True) -> str:
        name = f"acc_test_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as c:
            if migrated:
                c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template()}"'))
            else:
                c.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url(name)

    def _template(self) -> str:
        if self.template is None:
            name = f"acc_tpl_{uuid.uuid4().hex[:10]}"
            with self.admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            self.created.append(name)
            db = Database(self.url(name))
            schema.upgrade(db)
            db.dispose()
            self.template = name
        return self.template

    def drop_all(self) -> None:
        with self.admin.connect() as c:
            for name in reversed(self.created):
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    problem = _pg_available()
    if problem:
        if ON_CI:
            pytest.fail(f"PostgreSQL is required on CI and is not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    server = PgServer()
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    db.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, migrated database on the engine of this test's parameter."""
    if engine_name == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def backend(db: Database) -> Backend:
    return Backend(db, actor="test")


D = dt.date
