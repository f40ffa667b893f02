"""Where the application keeps its files (platformdirs)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP = "Accoglienza"


def data_dir() -> Path:
    path = Path(user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    path = Path(user_config_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_database_path() -> Path:
    """The demo network lives in its own file, never in the real database."""
    return data_dir() / "accoglienza-demo.sqlite3"


def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent
