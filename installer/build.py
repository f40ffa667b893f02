"""Build the application for one site: compiled catalogues, PyInstaller folder, NSIS script.

    python installer/build.py --profile installer/profiles/example-local.json [--dry-run]

PyInstaller and NSIS (makensis) are needed only for a real build (``pip install
pyinstaller``; NSIS on the Windows build machine). ``--dry-run`` checks the profile and
writes the filled NSIS script without building, which is what the tests do.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON = ROOT / "resources" / "icons" / "accoglienza.ico"  # written by ``python -m desktop.icon``
sys.path.insert(0, str(ROOT))

from desktop import i18n_build, site_profile  # noqa: E402


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def fill_template(profile: dict, dist_dir: Path) -> str:
    text = (ROOT / "installer" / "accoglienza.nsi.in").read_text(encoding="utf-8")
    values = {
        "@VERSION@": version(),
        "@SITE_ID@": profile["site_id"],
        "@SITE_NAME@": profile["site_name"].replace('"', "'"),
        "@PUBLISHER@": profile.get("publisher", "").replace('"', "'"),
        "@DIST_DIR@": str(dist_dir),
        "@ICON@": str(ICON),
    }
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "installer")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    try:
        profile = site_profile.load(args.profile)
    except Exception as exc:  # noqa: BLE001 - one line, no traceback
        print(f"build: {exc}", file=sys.stderr)
        return 1
    out = args.out / profile["site_id"]
    out.mkdir(parents=True, exist_ok=True)
    i18n_build.compile_catalogues()
    dist = out / "dist" / f"Accoglienza-{version()}"
    if not args.dry_run:
        if shutil.which("pyinstaller") is None:
            print("build: PyInstaller is not installed (pip install pyinstaller)", file=sys.stderr)
            return 1
        env = {"ACCOGLIENZA_SITE_PROFILE": str(args.profile.resolve())}
        subprocess.run(
            [
                "pyinstaller",
                "--noconfirm",
                "--distpath",
                str(out / "dist"),
                "--workpath",
                str(out / "work"),
                str(ROOT / "installer" / "accoglienza.spec"),
            ],
            check=True,
            env={**__import__("os").environ, **env},
        )
        (dist / "site.json").write_text(
            json.dumps(profile, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    nsi = out / f"accoglienza-{profile['site_id']}.nsi"
    nsi.write_text(fill_template(profile, dist), encoding="utf-8")
    if not args.dry_run and shutil.which("makensis"):
        subprocess.run(["makensis", str(nsi)], check=True)
    print(nsi)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
