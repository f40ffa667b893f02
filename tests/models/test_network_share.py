"""A local SQLite file on a network share is refused (it can be damaged there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import database
from models.database import Database, is_network_path
from models.errors import DatabaseProblem

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
//nas/ufficio /mnt/ufficio cifs rw,relatime,vers=3.0 0 0
nas:/export/dati /mnt/dati nfs4 rw,relatime 0 0
/dev/sdb1 /mnt/ufficio/disco\\040locale ext4 rw 0 0
//nas/con\\040spazio /mnt/cartella\\040condivisa smb3 rw 0 0
utente@server:/home /mnt/ssh fuse.sshfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "remote"),
    [
        ("/mnt/ufficio/accoglienza.sqlite3", True),
        ("/mnt/ufficio", True),
        ("/mnt/dati/a/b/c.sqlite3", True),
        ("/mnt/ssh/db.sqlite3", True),
        ("/mnt/cartella condivisa/db.sqlite3", True),
        ("/mnt/ufficio/disco locale/db.sqlite3", False),  # a local disk mounted inside the share
        ("/mnt/ufficiox/db.sqlite3", False),  # a name that only starts like the share
        ("/home/utente/db.sqlite3", False),
        ("/tmp/db.sqlite3", False),
        ("//server/share/db.sqlite3", True),
        ("\\\\server\\share\\db.sqlite3", True),
    ],
)
def test_is_network_path(path, remote):
    assert is_network_path(Path(path), MOUNTS) is remote


def test_database_on_a_share_is_refused(monkeypatch, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    mounts = MOUNTS + f"//nas/altro {share.resolve()} cifs rw 0 0\n"
    monkeypatch.setattr(database, "_proc_mounts", lambda: mounts)
    target = share / "accoglienza.sqlite3"
    with pytest.raises(DatabaseProblem) as info:
        Database(f"sqlite:///{target}")
    assert str(target) in str(info.value)
    assert not target.exists()
    # The same folder is accepted when it is local, and when the check is turned off on purpose.
    Database(f"sqlite:///{target}", check_share=False).dispose()
    monkeypatch.setattr(database, "_proc_mounts", lambda: MOUNTS)
    Database(f"sqlite:///{target}").dispose()


def test_no_mount_table_means_local(monkeypatch):
    monkeypatch.setattr(database, "_proc_mounts", lambda: None)
    assert is_network_path(Path("/mnt/ufficio/db.sqlite3")) is False
