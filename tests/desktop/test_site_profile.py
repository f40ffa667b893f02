"""The site profile applied: its name in the window title, the About box and the prints,
its language below the user's own choice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import settings as user_settings
from desktop import site_profile
from desktop.printing.template import default_site_name

ROOT = Path(__file__).resolve().parents[2]
SITE = "Cooperativa Prova — sede di Lecco"


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "site.json"
    path.write_text(
        json.dumps(
            {"site_id": "prova", "site_name": SITE, "language": "en", "database": {"mode": "local"}}
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("ACCOGLIENZA_SITE_PROFILE", str(path))
    saved = user_settings.load()
    user_settings.save({"site_name": "", "language": None})
    yield path
    user_settings.save({"site_name": saved.get("site_name"), "language": saved.get("language")})


def test_site_name_and_language_come_from_the_profile(profile: Path) -> None:
    assert site_profile.site_name() == SITE
    assert site_profile.language() == "en"
    assert site_profile.display_site_name() == SITE
    assert default_site_name() == SITE  # the header of every printed page


def test_the_users_own_site_name_comes_first(profile: Path) -> None:
    user_settings.save({"site_name": "Ufficio di Como"})
    assert site_profile.display_site_name() == "Ufficio di Como"
    assert default_site_name() == "Ufficio di Como"


def test_without_a_profile_the_prints_say_accoglienza(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ACCOGLIENZA_SITE_PROFILE", str(tmp_path / "none.json"))
    monkeypatch.setattr(site_profile, "profile_path", lambda: None)
    assert site_profile.site_name() is None and site_profile.language() is None
    user_settings.save({"site_name": ""})
    assert default_site_name() == "Accoglienza"


def test_a_broken_profile_gives_no_default_and_is_explained_where_the_database_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "site.json"
    path.write_text('{"site_id": "x", "langage": "en"}', encoding="utf-8")
    monkeypatch.setenv("ACCOGLIENZA_SITE_PROFILE", str(path))
    assert site_profile.language() is None and site_profile.site_name() is None
    with pytest.raises(site_profile.DomainError, match="langage"):
        site_profile.default_database_url()


def test_window_title_and_about_box_name_the_site(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from views.main_window import MainWindow
    from views.settings_store import MemorySettings

    settings = MemorySettings()
    window = MainWindow(None, settings=settings, site_name=SITE)
    qtbot.addWidget(window)
    assert SITE in window.windowTitle() and "Accoglienza" in window.windowTitle()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))
    window.about()
    assert SITE in shown[0]
    settings.save({"site_name": "Ufficio di Como"})
    window.show_site_name()
    assert "Ufficio di Como" in window.windowTitle()


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_profiles_language_is_the_default_below_the_users_choice(
    profile: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, LANG="it_IT.UTF-8", LC_ALL="", ACCOGLIENZA_SITE_PROFILE=str(profile))
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env.pop("LC_MESSAGES", None)
    env.pop("LANGUAGE", None)
    # An Italian system, a profile in English: the command line speaks English...
    english = cli(["--help"], env)
    assert english.returncode == 0 and "Occupancy of reception structures." in english.stdout
    # ...until the user chooses Italian (File > Preferences, saved in the settings)...
    config = user_settings.settings_path().relative_to(os.environ["XDG_CONFIG_HOME"])
    (tmp_path / "config" / config).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "config" / config).write_text('{"language": "it"}', encoding="utf-8")
    italian = cli(["--help"], env)
    assert "Occupazione delle strutture di accoglienza." in italian.stdout, italian.stdout
    # ...or asks for a language when starting it.
    assert "Occupancy of reception structures." in cli(["--language", "en", "--help"], env).stdout
