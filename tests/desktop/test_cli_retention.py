"""``accoglienza anonymise --older-than YEARS [--yes]`` as a user runs it: how many, a
confirmation, one line on any error, nothing changed when refused."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from desktop import cli
from tests.models.test_retention import OLD_WORDS, admin_backend, every_text, network


def anonymise(db_url: str, *extra: str) -> int:
    return cli.main(
        ["--language", "en", "anonymise", "--database", db_url, "--today", "2026-06-01", *extra]
    )


def test_with_yes_it_says_how_many_and_does_it(db, db_url, capsys):
    network(admin_backend(db))
    assert anonymise(db_url, "--older-than", "10", "--yes") == 0
    out = capsys.readouterr().out
    assert "5 people whose last placement ended before 1 June 2016 will be anonymised" in out
    assert "5 people anonymised." in out
    everything = "\n".join(every_text(db)).lower()
    assert [w for w in OLD_WORDS if w.lower() in everything] == []
    # Once more: nobody is left.
    assert anonymise(db_url, "--older-than", "10", "--yes") == 0
    assert "nothing to anonymise" in capsys.readouterr().out


def test_without_a_terminal_it_needs_yes_and_changes_nothing(db, db_url, capsys, monkeypatch):
    network(admin_backend(db))
    before = every_text(db)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert anonymise(db_url, "--older-than", "10") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--yes" in err[0]
    assert every_text(db) == before


def test_at_a_terminal_only_yes_goes_on(db, db_url, capsys, monkeypatch):
    network(admin_backend(db))
    before = every_text(db)
    terminal = io.StringIO("n\n")
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", terminal)
    assert anonymise(db_url, "--older-than", "10") == 2
    assert "nothing was changed" in capsys.readouterr().err
    assert every_text(db) == before
    terminal = io.StringIO("y\n")
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", terminal)
    assert anonymise(db_url, "--older-than", "10") == 0
    assert "5 people anonymised." in capsys.readouterr().out


@pytest.mark.parametrize("years", ["0", "ten", "-1", "500"])
def test_a_wrong_number_of_years_is_one_line(db_url, capsys, years):
    assert anonymise(db_url, "--older-than", years, "--yes") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]


def test_a_database_with_users_refuses_without_an_administrator(
    db, db_url, engine_name, capsys, monkeypatch
):
    """A local file's reader, signed in on the command line, is refused in one line."""
    if engine_name != "sqlite":
        pytest.skip("on the shared server the command runs as the server's login")
    from models.access import Role
    from models.backend import Backend

    network(admin_backend(db))
    users = Backend(db).users
    users.add("admin", Role.ADMINISTRATOR, password="una password lunga 1")
    users.add("lettore", Role.READER, password="una password lunga 2")
    monkeypatch.setenv("ACCOGLIENZA_USER", "lettore")
    monkeypatch.setenv("ACCOGLIENZA_PASSWORD", "una password lunga 2")
    before = every_text(db)
    assert anonymise(db_url, "--older-than", "10", "--yes") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "role does not allow" in err[0]
    assert every_text(db) == before
    with db.engine.connect() as c:
        assert (
            c.execute(text("SELECT count(*) FROM person WHERE last_name = 'Anonimo'")).scalar_one()
            == 0
        )
