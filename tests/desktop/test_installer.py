"""Site profiles and the installer script they fill."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from desktop import site_profile
from models import i18n
from models.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]
PROFILES = sorted((ROOT / "installer" / "profiles").glob("*.json"))


def build_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def nsi_code(text: str) -> str:
    """The script without its comments."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(";"))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_shipped_profile_is_valid_and_fills_the_installer(path: Path, tmp_path: Path) -> None:
    profile = site_profile.load(path)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "installer" / "build.py"),
            "--profile",
            str(path),
            "--target",
            "windows",
            "--out",
            str(tmp_path),
            "--dist",
            str(tmp_path / "dist"),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    nsi = Path(result.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert re.search(r"@[A-Z0-9_]+@", nsi.split("Unicode true", 1)[1]) is None  # all filled
    assert profile["site_name"].replace('"', "'") in nsi
    setup = tmp_path / "dist" / f"accoglienza-{profile['site_id']}-{build_version()}-setup.exe"
    assert f'OutFile "{setup}"' in nsi
    code = nsi_code(nsi)
    # Per machine: Program Files, administrator, shortcuts and registry for all users.
    assert 'InstallDir "$PROGRAMFILES64\\Accoglienza"' in code
    assert "RequestExecutionLevel admin" in code
    assert code.count("SetShellVarContext all") >= 3  # .onInit, the section, un.onInit
    assert "QuietUninstallString" in code and '/S"' not in code.replace("' /S'", "")
    # Refuses while the program runs (installer and uninstaller) and refuses a downgrade.
    assert "Call CheckNotRunning" in code and "Call un.CheckNotRunning" in code
    assert 'FileOpen $1 "$0\\${APP_EXE}" a' in code
    assert "${VersionCompare}" in code and "SetErrorLevel 3" in code
    # Upgrade in place: the installed version's uninstaller removes its files first.
    assert "ExecWait '\"$R0\\Uninstall.exe\" /S /UPGRADE _?=$R0'" in code
    # Uninstall exactly the installed files: never a recursive delete.
    assert "RMDir /r" not in code and "uninstall-files.nsh" in code
    # Version information, solid LZMA.
    version4 = ".".join([*build_version().split(".")[:3], "0"])
    assert f'VIProductVersion "{version4}"' in code and f'VIFileVersion "{version4}"' in code
    assert 'VIAddVersionKey /LANG=0 "ProductVersion"' in code
    assert "SetCompressor /SOLID lzma" in code
    # The profile's language is the installer's first (default) language.
    languages = re.findall(r'MUI_LANGUAGE "(\w+)"', code)
    assert languages[0] == {"it": "Italian", "en": "English"}[profile.get("language", "it")]
    # No certificate configured: nothing signed, and the script says so.
    assert "!uninstfinalize" not in code
    # The installer and uninstaller wear the application's icon, from the source tree.
    icons = dict(
        line.split(None, 2)[1:]
        for line in nsi.splitlines()
        if line.startswith(("!define MUI_ICON", "!define MUI_UNICON"))
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
        ({"site_id": "x", "site_name": "X"}, "“database” is missing"),
        (
            {**GOOD, "langage": "en"},
            "“langage” is not a setting of a profile: did you mean “language”?",
        ),
        ({**GOOD, "colour": "red"}, "“colour” is not a setting of a profile (known: site_id, "),
        (
            {**GOOD, "site_id": "x y"},
            "“site_id” may hold only lower-case letters, digits and dashes",
        ),
        ({**GOOD, "site_id": 7}, "“site_id” must be a text in quotes"),
        ({**GOOD, "site_name": ""}, "“site_name” must not be empty"),
        ({**GOOD, "site_name": "x" * 121}, "“site_name” is longer than 120 characters"),
        ({**GOOD, "language": "de"}, "“language” must be one of “it”, “en”, not “de”"),
        ({**GOOD, "publisher": ["a"]}, "“publisher” must be a text in quotes"),
        ({**GOOD, "database": "local"}, "“database” must be a group of settings in braces"),
        (
            {**GOOD, "database": {"mode": "cloud"}},
            "“database.mode” must be one of “local”, “shared”, not “cloud”",
        ),
        ({**GOOD, "database": {"mode": "shared"}}, "“database.url” is missing"),
        (
            {**GOOD, "database": {"mode": "shared", "url": "mysql://h/db"}},
            "“database.url” must be a postgresql:// address",
        ),
        (
            {**GOOD, "database": {"mode": "shared", "url": "postgresql://u:secret@h/db"}},
            "“database.url” must be a postgresql:// address without a password",
        ),
        (
            {**GOOD, "database": {"mode": "local", "url": "postgresql://h/db"}},
            "“database.url” is not used here",
        ),
        (
            {**GOOD, "database": {"mode": "local", "port": 5432}},
            "“database.port” is not a setting of a profile",
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
    i18n.set_language("en")  # the messages as written
    with pytest.raises(DomainError) as info:
        site_profile.load(path)
    text = str(info.value)
    assert "\n" not in text and text.count(";") == 3, text  # site_id, site_name, langage, mode
    for key in ("“site_id”", "“site_name”", "“langage”", "“database.mode”"):
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
        "backups",
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


def test_the_executables_version_information_is_pyinstallers_format() -> None:
    """The resource both executables carry (File > Properties > Details on Windows)."""
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        import build
    finally:
        sys.path.remove(str(ROOT / "installer"))
    profile = site_profile.load(ROOT / "installer" / "profiles" / "example-shared.json")
    text = build.version_file_text(profile)
    names = [
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    ]

    def part(name: str) -> object:
        return lambda *a, **k: (name, a, k)

    parts = {name: part(name) for name in names}
    kind, _args, fields = eval(text, parts)  # noqa: S307 - our own generated text
    assert kind == "VSVersionInfo"
    numbers = tuple(int(n) for n in build_version().split(".")[:3]) + (0,)
    assert fields["ffi"][2]["filevers"] == numbers == fields["ffi"][2]["prodvers"]
    assert f"StringStruct('ProductVersion', '{build_version()}')" in text
    assert profile["site_name"] in text and "CompanyName" in text
