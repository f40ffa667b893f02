"""The Linux build as a site's IT person makes it and a user runs it (slow: a real
PyInstaller build from the lock file, a few minutes).

The archive is built with ``installer/build.py --target linux`` for a profile whose
language is English, unpacked into an empty folder and run there on an Italian system
without a display: the command line and a printed summary speak the profile's language
and carry its site name, and the window starts offscreen and quits once shown.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
SITE = "Cooperativa Prova - sede di Lecco"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux archive"),
]


def test_the_linux_archive_starts_prints_the_site_name_and_speaks_the_profiles_language(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "prova.json"
    profile.write_text(
        json.dumps(
            {
                "site_id": "prova",
                "site_name": SITE,
                "language": "en",
                "database": {"mode": "local"},
                "notes": "Fictitious profile of the frozen-build test.",
            }
        ),
        encoding="utf-8",
    )
    built = subprocess.run(
        [
            sys.executable,
            str(ROOT / "installer" / "build.py"),
            "--profile",
            str(profile),
            "--target",
            "linux",
            "--out",
            str(tmp_path / "build"),
            "--dist",
            str(tmp_path / "dist"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    archive = Path(built.stdout.strip().splitlines()[-1])
    assert archive.name.startswith("accoglienza-prova-") and archive.name.endswith("-linux.tar.gz")
    # The build prints its sizes against the targets, and meets them.
    sizes = [line for line in built.stdout.splitlines() if "target <=" in line]
    assert len(sizes) == 2 and all(line.endswith(": ok)") for line in sizes), built.stdout
    assert archive.stat().st_size <= 65 * 1024 * 1024

    unpacked = tmp_path / "fresh"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(unpacked, filter="tar")
    top = unpacked / names[0]
    for name in (
        "accoglienza",
        "site.json",
        "accoglienza.desktop",
        "accoglienza.png",
        "install.sh",
    ):
        assert (top / name).is_file(), name
    assert (top / "LICENSE.txt").is_file()
    notices = (top / "licenses" / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    assert "PySide6" in notices and "LGPL" in notices
    assert "Exec=" in (top / "accoglienza.desktop").read_text(encoding="utf-8")
    # Only the shipped languages' locale data and Qt translations.
    internal = top / "_internal"
    assert {p.stem for p in (internal / "babel" / "locale-data").glob("*.dat")} <= {
        "root",
        "it",
        "it_IT",
        "en",
        "en_001",
        "en_GB",
    }
    assert {p.name for p in internal.rglob("*.qm")} <= {
        "qtbase_it.qm",
        "qt_it.qm",
        "qtbase_en.qm",
        "qt_en.qm",
    }

    home = tmp_path / "home"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "LANG": "it_IT.UTF-8",  # an Italian system: the profile's English comes first
        "QT_QPA_PLATFORM": "offscreen",
    }

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(top / "accoglienza"), *args],
            cwd=tmp_path,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    database = str(tmp_path / "demo.sqlite3")
    demo = run("demo", "--database", database)
    assert demo.returncode == 0 and demo.stdout.startswith("Demo network"), demo.stderr
    pdf = tmp_path / "summary.pdf"
    printed = run("print", "summary", "--database", database, "-o", str(pdf))
    assert printed.returncode == 0, printed.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert SITE in text
    assert "Grand total" in text and "Totale generale" not in text
    shown = run("--database", database, ACCOGLIENZA_QUIT_WHEN_SHOWN="1")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].startswith("shown ")
    assert shown.stdout.splitlines()[-1].startswith("data ")
    # Users sign in with argon2id hashes: the frozen program carries the binding.
    password = "una password lunga"
    added = run(
        "users",
        "add",
        "anna",
        "--role",
        "administrator",
        "--database",
        database,
        ACCOGLIENZA_NEW_PASSWORD=password,
    )
    assert added.returncode == 0, added.stderr
    signed_in = run(
        "occupancy", "--database", database, "--user", "anna", ACCOGLIENZA_PASSWORD=password
    )
    assert signed_in.returncode == 0, signed_in.stderr
    refused = run(
        "occupancy", "--database", database, "--user", "anna", ACCOGLIENZA_PASSWORD="sbagliata"
    )
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1
