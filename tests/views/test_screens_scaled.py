"""Every window and dialog on a 1366x768 laptop, at 100 % scaling and at 125 % (the
1093x614 Windows leaves at 125 %), in Italian, English and the 40 % longer
pseudo-translation: it fits, and no label, button, group title, tab, tree item or column
title is cut. Each run is a process of its own (tests/views/screen_check.py): the
scaling is chosen when Qt starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.views.screen_check import SCREEN, platform_for

ROOT = Path(__file__).resolve().parents[2]


def run_check(language: str, scale: str, tmp_path: Path) -> dict[str, list[str]]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = platform_for(SCREEN, tmp_path)
    env["QT_SCALE_FACTOR"] = scale
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    env.pop("QT_AUTO_SCREEN_SCALE_FACTOR", None)
    out = subprocess.run(
        [sys.executable, "-m", "tests.views.screen_check", language],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("language", "scale"),
    [("it", "1"), ("en", "1"), ("pseudo", "1"), ("it", "1.25"), ("en", "1.25")],
)
def test_every_window_fits_and_shows_its_texts_whole(
    language: str, scale: str, tmp_path: Path
) -> None:
    assert run_check(language, scale, tmp_path) == {}
