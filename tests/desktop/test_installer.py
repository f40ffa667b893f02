"""Site profiles and the installer script they fill."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import site_profile
from models.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]
PROFILES = sorted((ROOT / "installer" / "profiles").glob("*.json"))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_shipped_profile_is_valid_and_fills_the_installer(path: Path, tmp_path: Path) -> None:
    profile = site_profile.load(path)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "installer" / "build.py"),
            "--profile",
            str(path),
            "--out",
            str(tmp_path),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    nsi = Path(result.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert "@" + "VERSION@" not in nsi and "@SITE_NAME@" not in nsi
    assert profile["site_name"].replace('"', "'") in nsi
    # The installer and uninstaller wear the application's icon, from the source tree.
    icons = dict(
        line.split(None, 2)[1:] for line in nsi.splitlines() if line.startswith("!define MUI_")
    )
    assert icons["MUI_ICON"] == icons["MUI_UNICON"]
    assert Path(icons["MUI_ICON"].strip('"')).is_file() and icons["MUI_ICON"].endswith('.ico"')
    assert nsi.index("!define MUI_ICON") < nsi.index(
        '!include "MUI2.nsh"'
    )  # read by MUI when included


def test_shared_profile_gives_the_default_database(tmp_path: Path) -> None:
    profile = site_profile.load(ROOT / "installer" / "profiles" / "example-shared.json")
    assert site_profile.default_database_url(profile).startswith("postgresql://")
    assert site_profile.default_database_url({"database": {"mode": "local"}}) is None


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"site_id": "x", "site_name": "X"},
        {"site_id": "x y", "site_name": "X", "database": {"mode": "local"}},
        {"site_id": "x", "site_name": "X", "database": {"mode": "cloud"}},
        {"site_id": "x", "site_name": "X", "database": {"mode": "shared", "url": "mysql://h/db"}},
        {
            "site_id": "x",
            "site_name": "X",
            "database": {"mode": "shared", "url": "postgresql://u:secret@h/db"},
        },
    ],
)
def test_broken_profiles_are_refused_with_a_message(data: object, tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DomainError) as info:
        site_profile.load(path)
    assert str(info.value)


def test_unreadable_profile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    path.write_text("{not json")
    with pytest.raises(DomainError):
        site_profile.load(path)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "installer" / "build.py"),
            "--profile",
            str(path),
            "--dry-run",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        result.returncode == 1
        and "Traceback" not in result.stderr
        and len(result.stderr.strip().splitlines()) == 1
    )
