"""Site profiles and the installer script they fill."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import site_profile
from models import i18n
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


GOOD = {"site_id": "x", "site_name": "X", "database": {"mode": "local"}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "the profile must be a group of settings in braces"),
        ({"site_id": "x", "site_name": "X"}, "'database' is missing"),
        (
            {**GOOD, "langage": "en"},
            "'langage' is not a setting of a profile: did you mean 'language'?",
        ),
        ({**GOOD, "colour": "red"}, "'colour' is not a setting of a profile (known: site_id, "),
        (
            {**GOOD, "site_id": "x y"},
            "'site_id' may hold only lower-case letters, digits and dashes",
        ),
        ({**GOOD, "site_id": 7}, "'site_id' must be a text in quotes"),
        ({**GOOD, "site_name": ""}, "'site_name' must not be empty"),
        ({**GOOD, "site_name": "x" * 121}, "'site_name' is longer than 120 characters"),
        ({**GOOD, "language": "de"}, "'language' must be one of 'it', 'en', not 'de'"),
        ({**GOOD, "publisher": ["a"]}, "'publisher' must be a text in quotes"),
        ({**GOOD, "database": "local"}, "'database' must be a group of settings in braces"),
        (
            {**GOOD, "database": {"mode": "cloud"}},
            "'database.mode' must be one of 'local', 'shared', not 'cloud'",
        ),
        ({**GOOD, "database": {"mode": "shared"}}, "'database.url' is missing"),
        (
            {**GOOD, "database": {"mode": "shared", "url": "mysql://h/db"}},
            "'database.url' must be a postgresql:// address",
        ),
        (
            {**GOOD, "database": {"mode": "shared", "url": "postgresql://u:secret@h/db"}},
            "'database.url' must be a postgresql:// address without a password",
        ),
        (
            {**GOOD, "database": {"mode": "local", "url": "postgresql://h/db"}},
            "'database.url' is not used here",
        ),
        (
            {**GOOD, "database": {"mode": "local", "port": 5432}},
            "'database.port' is not a setting of a profile",
        ),
    ],
)
def test_broken_profiles_are_refused_with_a_message(
    data: object, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "site.json"
    path.write_text(json.dumps(data))
    i18n.set_language("en")  # the messages as written; Italian is checked by tests/test_i18n.py
    with pytest.raises(DomainError) as info:
        site_profile.load(path)
    assert str(info.value).startswith("The site profile is not valid: ")
    assert message in str(info.value)


def test_every_problem_of_a_profile_is_named_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    path.write_text(json.dumps({"site_id": "X Y", "langage": "it", "database": {"mode": "x"}}))
    with pytest.raises(DomainError) as info:
        site_profile.load(path)
    text = str(info.value)
    assert "\n" not in text and text.count(";") == 3, text  # site_id, site_name, langage, mode
    for key in ("'site_id'", "'site_name'", "'langage'", "'database.mode'"):
        assert key in text


def test_the_schema_is_json_schema_and_names_every_key_the_program_reads() -> None:
    schema = json.loads((ROOT / "installer" / "site-profile.schema.json").read_text())
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False
    assert schema["properties"]["database"]["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "site_id",
        "site_name",
        "language",
        "database",
        "publisher",
        "notes",
    }
    assert schema["properties"]["language"]["enum"] == list(i18n.SUPPORTED)
    assert all(rule.get("description") for rule in schema["properties"].values())


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
