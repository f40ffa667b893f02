"""Where the settings, the local database and the error log live: the same folders as
platformdirs gives (our own lookup on Linux is only quicker to import)."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from desktop import paths

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the XDG lookup is Linux's"
)


@pytest.mark.parametrize("config, data", [("{tmp}/cfg", "{tmp}/dat"), ("", ""), (None, None)])
def test_folders_are_platformdirs_ones(tmp_path, monkeypatch, config, data):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name, value in (("XDG_CONFIG_HOME", config), ("XDG_DATA_HOME", data)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value.format(tmp=tmp_path))
    assert paths.config_dir() == tmp_path.joinpath(
        platformdirs.user_config_dir("Accoglienza", appauthor=False)
    )
    assert paths.data_dir() == tmp_path.joinpath(
        platformdirs.user_data_dir("Accoglienza", appauthor=False)
    )
    assert paths.config_dir().is_dir() and paths.data_dir().is_dir()
    assert paths.demo_database_path().parent == paths.data_dir()
