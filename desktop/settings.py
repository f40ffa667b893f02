"""User settings kept between runs (language, window geometry, last date range...).

Stored as a small JSON file in the user's configuration folder, so that the command
line can read them without Qt.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def settings_path() -> Path:
    from desktop.paths import config_dir

    return config_dir() / "settings.json"


def load() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save(values: dict[str, Any]) -> None:
    path = settings_path()
    data = load()
    data.update(values)
    from models.files import private_file

    tmp = path.with_suffix(".tmp")
    with private_file(tmp) as fh:  # readable by its owner only
        fh.write(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
    tmp.replace(path)


def saved_language() -> str | None:
    value = load().get("language")
    return value if isinstance(value, str) and value else None
