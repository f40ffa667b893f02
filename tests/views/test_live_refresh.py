"""Other PCs' changes reach the window: on the shared server through its notifications
(the pages concerned within 2 s), on a local file by polling the audit trail (right
after the start too, and beside the window's own saves, which are not taken for
another PC's)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from models.backend import Backend
from models.database import Database
from models.results import Changes
from tests.factories import D, scenario
from tests.models.helpers import single
from views.main_window import MainWindow


def _window(qtbot, backend: Backend) -> tuple[MainWindow, list[object]]:  # type: ignore[no-untyped-def]
    window = MainWindow(backend, today=D(2023, 3, 10))
    qtbot.addWidget(window)
    seen: list[object] = []
    real_apply, real_refresh = window.apply_changes, window.refresh_all

    def apply(changes: Changes, *, origin: object = None) -> None:
        seen.append(changes)
        real_apply(changes, origin=origin)  # type: ignore[arg-type]

    def refresh() -> None:
        seen.append("all")
        real_refresh()

    window.apply_changes = apply  # type: ignore[method-assign]
    window.refresh_all = refresh  # type: ignore[method-assign]
    return window, seen


def test_a_change_on_another_pc_reaches_the_shared_window_within_2_s(qtbot, pg_server) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.create()
    here, there = Backend(Database(url), actor="qui"), Backend(Database(url), actor="altrove")
    sc = scenario(there)
    hh, _person = single(there)
    window, seen = _window(qtbot, here)
    qtbot.waitUntil(lambda: window._listener is not None and window._listener.listening.is_set())
    qtbot.waitUntil(lambda: not window._poll.isActive(), timeout=3_000)
    seen.clear()
    started = time.monotonic()
    there.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
    qtbot.waitUntil(lambda: any(isinstance(c, Changes) for c in seen), timeout=2_000)
    assert time.monotonic() - started < 2.0
    [changes] = [c for c in seen if isinstance(c, Changes)]
    assert changes == Changes(structures=frozenset({sc.families.id}), households=frozenset({hh.id}))
    # The window's own save is not heard back.
    seen.clear()
    other, _ = single(here, "Bruno", "M")
    here.placements.place(other.id, sc.men.id, D(2023, 3, 1))
    qtbot.wait(700)
    assert seen == []
    # The link drops: the status bar says so and the window polls; once it is back,
    # everything is read again (what was missed is not known).
    link = window.status.link_label
    assert link.isHidden()
    with pg_server.admin.connect() as c:
        c.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :d AND query LIKE 'LISTEN%'"
            ),
            {"d": here.db.engine.url.database},
        )
    qtbot.waitUntil(lambda: not link.isHidden(), timeout=3_000)
    assert window._poll.isActive()
    qtbot.waitUntil(lambda: link.isHidden(), timeout=8_000)
    assert "all" in seen and not window._poll.isActive()
    window.close()
    assert window._listener is None
    here.db.dispose()
    there.db.dispose()


@pytest.fixture
def fast_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    import views.main_window as main_window

    monkeypatch.setattr(main_window, "CHANGE_POLL_MS", 200)


def test_a_local_file_is_polled_without_blind_spots(
    qtbot, tmp_path, sqlite_template, fast_poll
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "ufficio.sqlite3"
    shutil.copy(sqlite_template, path)
    here = Backend(Database(f"sqlite:///{path}"), actor="qui")
    there = Backend(Database(f"sqlite:///{path}"), actor="altrove")
    sc = scenario(there)
    here.changes_seen_at_open = here.directory.change_marker()
    # A change right after the opening, before the first poll, is not missed.
    hh, _person = single(there)
    window, seen = _window(qtbot, here)
    qtbot.waitUntil(lambda: "all" in seen, timeout=2_000)
    # The window's own save, and another PC's right beside it: only the other is news.
    seen.clear()
    mine, _ = single(here, "Bruno", "M")
    here.placements.place(mine.id, sc.men.id, D(2023, 3, 1))
    qtbot.wait(600)
    assert "all" not in seen
    there.placements.place(hh.id, sc.families.id, D(2023, 3, 1))
    qtbot.waitUntil(lambda: "all" in seen, timeout=2_000)
    window.close()
    here.db.dispose()
    there.db.dispose()
