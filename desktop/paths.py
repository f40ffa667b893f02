"""Where the application keeps its files: the user's configuration and data folders.

On Linux these are the XDG base directories, read here (``$XDG_CONFIG_HOME`` or
``~/.config``, ``$XDG_DATA_HOME`` or ``~/.local/share``): the settings are read before
the window's first paint, which importing platformdirs would delay. Elsewhere (Windows,
macOS) platformdirs knows the folders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "Accoglienza"


def _xdg(variable: str, default: str) -> Path:
    # As the XDG Base Directory specification (and platformdirs) reads them: an unset or
    # empty variable means the default.
    value = os.environ.get(variable, "").strip()
    return Path(value or os.path.expanduser(default)) / APP


def _user_config_dir() -> Path:
    if sys.platform.startswith("linux"):
        return _xdg("XDG_CONFIG_HOME", "~/.config")
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def _user_data_dir() -> Path:
    if sys.platform.startswith("linux"):
        return _xdg("XDG_DATA_HOME", "~/.local/share")
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def _private_folder(path: Path) -> Path:
    # Owner only (0700) when made here; the parents (~/.local/share...) are left alone.
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)
        if os.name == "posix":
            os.chmod(path, 0o700)
    return path


def data_dir() -> Path:
    return _private_folder(_user_data_dir())


def config_dir() -> Path:
    return _private_folder(_user_config_dir())


def demo_database_path() -> Path:
    """The demo network lives in its own file, never in the real database."""
    return data_dir() / "accoglienza-demo.sqlite3"


def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent
