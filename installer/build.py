"""Build Accoglienza for one site: the program folder, then the Linux archive or the Windows setup.

    python installer/build.py --profile installer/profiles/example-local.json --target linux
    python installer/build.py --profile installer/profiles/example-local.json --target windows

The target is the system the build runs on (PyInstaller does not cross-build): Linux
gives ``dist/accoglienza-<site_id>-<version>-linux.tar.gz``, Windows (with NSIS's
``makensis``) ``dist/accoglienza-<site_id>-<version>-setup.exe``. The libraries come from
``requirements/lock.txt`` (exact versions with their hashes), installed in a virtual
environment of the build (``build/venv-<target>``), never the newest of the day.

``--dry-run`` checks the profile and writes the filled NSIS script without building (on
any system), which is what the tests do. On Windows the executables and the setup are
signed when ``ACCOGLIENZA_SIGN_CERT`` names a certificate (.pfx; its password in
``ACCOGLIENZA_SIGN_PASSWORD``, a timestamp server in ``ACCOGLIENZA_SIGN_TIMESTAMP``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON = ROOT / "resources" / "icons" / "accoglienza.ico"  # written by ``python -m desktop.icon``
PNG = ROOT / "resources" / "icons" / "accoglienza.png"
LOCK = ROOT / "requirements" / "lock.txt"
LICENSES = ROOT / "installer" / "licenses"
TARGET_ARCHIVE_MB = 65
TARGET_FOLDER_MB = 200
# Used to build, not shipped: no licence notice for them.
BUILD_ONLY = {
    "pip",
    "setuptools",
    "wheel",
    "altgraph",
    "packaging",
    "pyinstaller-hooks-contrib",
    "pefile",
    "pywin32-ctypes",
    "macholib",
}
sys.path.insert(0, str(ROOT))

from desktop import site_profile  # noqa: E402
from models.errors import DomainError  # noqa: E402


class BuildError(Exception):
    """A build that cannot go on: one line for the person building."""


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def numeric_version(text: str) -> tuple[int, int, int, int]:
    """``0.1.0`` -> (0, 1, 0, 0): Windows' four numbers (a suffix such as ``.dev1`` is left out)."""
    numbers = [int(n) for n in re.findall(r"\d+", text.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return numbers[0], numbers[1], numbers[2], numbers[3]


def artefact_name(profile: dict, target: str) -> str:
    suffix = "setup.exe" if target == "windows" else "linux.tar.gz"
    return f"accoglienza-{profile['site_id']}-{version()}-{suffix}"


# -- Windows: version information, NSIS script, signing ---------------------------------


def version_file_text(profile: dict) -> str:
    """PyInstaller's version resource for both executables (File › Properties › Details)."""
    numbers = numeric_version(version())
    publisher = profile.get("publisher") or "Accoglienza"
    strings = {
        "CompanyName": publisher,
        "FileDescription": "Accoglienza",
        "FileVersion": version(),
        "InternalName": "Accoglienza",
        "LegalCopyright": "MIT License; see LICENSE.txt and licenses\\",
        "ProductName": f"Accoglienza ({profile['site_name']})",
        "ProductVersion": version(),
    }
    table = ",\n        ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
        {table}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def signing_command() -> list[str] | None:
    """The command that signs one file (its path appended), when a certificate is configured."""
    cert = os.environ.get("ACCOGLIENZA_SIGN_CERT")
    if not cert:
        return None
    tool = os.environ.get("ACCOGLIENZA_SIGNTOOL") or shutil.which("signtool") or "signtool"
    command = [tool, "sign", "/f", cert, "/fd", "sha256"]
    if os.environ.get("ACCOGLIENZA_SIGN_PASSWORD"):
        command += ["/p", os.environ["ACCOGLIENZA_SIGN_PASSWORD"]]
    if os.environ.get("ACCOGLIENZA_SIGN_TIMESTAMP"):
        command += ["/tr", os.environ["ACCOGLIENZA_SIGN_TIMESTAMP"], "/td", "sha256"]
    return command


def sign(path: Path) -> None:
    command = signing_command()
    if command is not None:
        subprocess.run([*command, str(path)], check=True)


def nsis_quote(text: str) -> str:
    return text.replace('"', "'").replace("$", "$$")


def fill_template(profile: dict, dist_dir: Path, setup: Path, include_dir: Path) -> str:
    text = (ROOT / "installer" / "accoglienza.nsi.in").read_text(encoding="utf-8")
    languages = ["Italian", "English"]
    if profile.get("language") == "en":
        languages.reverse()  # the first is the installer's default
    if signing_command() is not None:
        # The uninstaller is written by makensis itself: signed when it is made.
        sign_cmd = " ".join(f'"{part}"' for part in signing_command() or [])
        finalize = f"!uninstfinalize '{sign_cmd} \"%1\"' = 0"
    else:
        finalize = "; no certificate configured (ACCOGLIENZA_SIGN_CERT): nothing is signed"
    values = {
        "@VERSION@": version(),
        "@VERSION4@": ".".join(str(n) for n in numeric_version(version())),
        "@SITE_ID@": profile["site_id"],
        "@SITE_NAME@": nsis_quote(profile["site_name"]),
        "@PUBLISHER@": nsis_quote(profile.get("publisher") or "Accoglienza"),
        "@DIST_DIR@": str(dist_dir),
        "@ICON@": str(ICON),
        "@OUTFILE@": str(setup),
        "@INSTALL_FILES@": str(include_dir / "install-files.nsh"),
        "@UNINSTALL_FILES@": str(include_dir / "uninstall-files.nsh"),
        "@LANGUAGES@": "\n".join(f'!insertmacro MUI_LANGUAGE "{lang}"' for lang in languages),
        "@SIGN_UNINSTALLER@": finalize,
    }
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def file_lists(dist_dir: Path, include_dir: Path) -> None:
    """``install-files.nsh`` (every file of the program folder) and ``uninstall-files.nsh``
    (exactly those files, then their folders if they are left empty): the uninstaller
    removes what it installed and nothing else, whatever folder was chosen."""
    files = sorted(p for p in dist_dir.rglob("*") if p.is_file()) if dist_dir.is_dir() else []
    folders = sorted(
        {p.parent.relative_to(dist_dir) for p in files}, key=lambda p: (len(p.parts), str(p))
    )

    def inside(relative: Path) -> str:
        return "$INSTDIR" + "".join("\\" + part for part in relative.parts)

    install = ["; Written by installer/build.py from the program folder."]
    for folder in folders:
        install.append(f'SetOutPath "{inside(folder)}"')
        for f in files:
            if f.parent.relative_to(dist_dir) == folder:
                install.append(f'File "{f}"')
    uninstall = ["; Written by installer/build.py: exactly the files installed."]
    for f in files:
        uninstall.append(f'Delete "{inside(f.relative_to(dist_dir))}"')
    every_folder = {q for p in folders for q in [p, *p.parents] if q.parts}
    for folder in sorted(every_folder, key=lambda p: (-len(p.parts), str(p))):
        uninstall.append(f'RMDir "{inside(folder)}"')
    include_dir.mkdir(parents=True, exist_ok=True)
    (include_dir / "install-files.nsh").write_text("\n".join(install) + "\n", encoding="utf-8")
    (include_dir / "uninstall-files.nsh").write_text("\n".join(uninstall) + "\n", encoding="utf-8")


# -- The build environment and PyInstaller ----------------------------------------------


def build_python(target: str) -> Path:
    """Python of ``build/venv-<target>``, made from the lock file and remade when it changes."""
    venv = ROOT / "build" / f"venv-{target}"
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    stamp = venv / "lock.sha256"
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "--no-deps",
            "-r",
            str(LOCK),
        ],
        check=True,
    )
    stamp.write_text(digest)
    return python


def site_packages(python: Path) -> Path:
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def write_licences(dist_dir: Path, packages: Path, python: Path) -> list[str]:
    """The project's licence as LICENSE.txt, and under ``licenses/`` the notices of every
    library in the folder (Python, Qt and PySide6 under the LGPL, each package's own)."""
    shutil.copy(ROOT / "LICENSE", dist_dir / "LICENSE.txt")
    target = dist_dir / "licenses"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    lines = [
        f"Accoglienza {version()}: MIT License (LICENSE.txt).",
        "It is built with the libraries below, each under its own licence; their texts",
        "are in the folders beside this file.",
        "",
    ]
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import sys, sysconfig; print(sys.version.split()[0]); "
            "print(sysconfig.get_paths()['stdlib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    py_version, stdlib = out.stdout.split("\n")[:2]
    for candidate in (Path(stdlib) / "LICENSE.txt", Path(stdlib).parent / "LICENSE.txt"):
        if candidate.exists():
            (target / "python").mkdir()
            shutil.copy(candidate, target / "python" / "LICENSE.txt")
            break
    lines.append(f"Python {py_version}: PSF-2.0 (python/)")
    for info in sorted(packages.glob("*.dist-info")):
        meta = Parser().parsestr((info / "METADATA").read_text(encoding="utf-8", errors="replace"))
        name, ver = meta["Name"], meta["Version"]
        if name.lower().replace("_", "-") in BUILD_ONLY:
            continue
        licence = meta.get("License-Expression") or next(
            iter((meta.get("License") or "").splitlines()), ""
        )
        if not licence:  # some packages name it only among their classifiers
            licence = (
                "; ".join(
                    c.split("::")[-1].strip()
                    for c in meta.get_all("Classifier") or []
                    if c.startswith("License ::")
                )
                or "see the licence files"
            )
        folder = target / f"{name}-{ver}"
        folder.mkdir()
        for f in info.rglob("*"):
            if f.is_file() and (
                "licenses" in f.relative_to(info).parts
                or f.name.upper().startswith(("LICENSE", "COPYING", "NOTICE", "AUTHORS"))
            ):
                shutil.copy(f, folder / f.name)
        if name.lower().startswith(("pyside6", "shiboken6")):
            for text in LICENSES.glob("*.txt"):
                shutil.copy(text, folder / text.name)
        lines.append(f"{name} {ver}: {licence} ({folder.name}/)")
    lines += system_library_notices(dist_dir, target)
    lines += ["", (LICENSES / "QT-NOTICE.txt").read_text(encoding="utf-8")]
    (target / "THIRD-PARTY-NOTICES.txt").write_text("\n".join(lines), encoding="utf-8")
    return lines


def system_library_notices(dist_dir: Path, target: Path) -> list[str]:
    """On Linux PyInstaller copies some of the build machine's own libraries (GLib, xcb,
    the C++ runtime...): the copyright file of each one's Debian package, when the build
    machine has dpkg."""
    if sys.platform == "win32" or shutil.which("dpkg") is None:
        return []
    packages: dict[str, list[str]] = {}
    for lib in sorted((dist_dir / "_internal").glob("lib*.so*")):
        if lib.is_symlink() or lib.name.startswith("libpython"):  # Python's, listed above
            continue
        found = subprocess.run(
            ["dpkg", "-S", f"*/{lib.name}"], capture_output=True, text=True, check=False
        )
        if found.returncode == 0 and found.stdout:
            package = found.stdout.split(":", 1)[0].split(",")[0].strip()
            packages.setdefault(package, []).append(lib.name)
    if not packages:
        return []
    folder = target / "system"
    folder.mkdir()
    lines = ["", "Libraries of the build system (Debian packages; copyright files in system/):"]
    for package, libs in sorted(packages.items()):
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        if copyright_file.exists():
            shutil.copy(copyright_file, folder / f"{package}.txt")
        lines.append(f"{package}: {', '.join(libs)} (system/{package}.txt)")
    return lines


def pyinstaller(python: Path, work: Path, profile: dict, target: str) -> Path:
    env = dict(os.environ)
    if target == "windows":
        version_file = work / "version-info.txt"
        version_file.write_text(version_file_text(profile), encoding="utf-8")
        env["ACCOGLIENZA_VERSION_FILE"] = str(version_file)
    subprocess.run(
        [
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "pyinstaller"),
            str(ROOT / "installer" / "accoglienza.spec"),
        ],
        check=True,
        env=env,
    )
    return work / "dist" / f"Accoglienza-{version()}"


# -- Linux: the archive -------------------------------------------------------------------

DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=Accoglienza
GenericName=Accoglienza ({site_name})
Comment=Occupazione delle strutture di accoglienza
Exec={exec_path}
Icon={icon}
Terminal=false
Categories=Office;
"""

INSTALL_SCRIPT = """#!/bin/sh
# Installs this folder for every user of the PC: run as root from the unpacked folder.
#   sudo ./install.sh            into /opt/accoglienza ({folder}), replacing
#                                the version installed there before
# Removing it: sudo rm -r /opt/accoglienza /usr/local/bin/accoglienza \\
#   /usr/share/applications/accoglienza.desktop /usr/share/icons/hicolor/256x256/apps/accoglienza.png
# The users' data (their database and its backups) stay in their own folders.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=/opt/accoglienza
if [ "$here" != "$target" ]; then
    rm -rf "$target.new" && cp -a "$here" "$target.new"
    rm -rf "$target" && mv "$target.new" "$target"
fi
ln -sf "$target/accoglienza" /usr/local/bin/accoglienza
install -Dm644 "$target/accoglienza.png" /usr/share/icons/hicolor/256x256/apps/accoglienza.png
sed "s|^Exec=.*|Exec=$target/accoglienza|" "$target/accoglienza.desktop" \\
    > /usr/share/applications/accoglienza.desktop
echo "Accoglienza installed in $target"
"""


def linux_archive(dist_dir: Path, archive: Path, profile: dict) -> None:
    """A .tar.gz with one folder: the program, its site.json, a .desktop entry and icon, and
    install.sh; entries sorted, owned by root and dated by the version's commit for a
    reproducible archive."""
    folder = archive.name.removesuffix("-linux.tar.gz")
    shutil.copy(PNG, dist_dir / "accoglienza.png")
    (dist_dir / "accoglienza.desktop").write_text(
        DESKTOP_ENTRY.format(
            site_name=profile["site_name"],
            exec_path="/opt/accoglienza/accoglienza",
            icon="accoglienza",
        ),
        encoding="utf-8",
    )
    script = dist_dir / "install.sh"
    script.write_text(INSTALL_SCRIPT.format(folder=folder), encoding="utf-8")
    script.chmod(0o755)
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)

    def tidy(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = stamp
        return info

    archive.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in [dist_dir, *sorted(dist_dir.rglob("*"))]:
            name = (
                folder if path == dist_dir else f"{folder}/{path.relative_to(dist_dir).as_posix()}"
            )
            tar.add(path, arcname=name, recursive=False, filter=tidy)
    with (
        archive.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=stamp, compresslevel=9) as gz,
    ):
        gz.write(buffer.getvalue())


# -- Sizes ---------------------------------------------------------------------------------


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def report_sizes(dist_dir: Path, artefact: Path | None) -> list[str]:
    mb = 1024 * 1024
    lines = []
    size = folder_size(dist_dir) / mb
    verdict = "ok" if size <= TARGET_FOLDER_MB else "OVER THE TARGET"
    lines.append(f"installed folder: {size:.1f} MB (target <= {TARGET_FOLDER_MB} MB: {verdict})")
    if artefact is not None and artefact.exists():
        size = artefact.stat().st_size / mb
        verdict = "ok" if size <= TARGET_ARCHIVE_MB else "OVER THE TARGET"
        lines.append(
            f"{artefact.name}: {size:.1f} MB (target <= {TARGET_ARCHIVE_MB} MB: {verdict})"
        )
    return lines


# -- The command ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--profile", required=True, type=Path)
    parser.add_argument(
        "--target",
        choices=["linux", "windows"],
        default="windows" if sys.platform == "win32" else "linux",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "installer")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    try:
        return build(args)
    except (BuildError, DomainError) as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(
            f"build: {Path(str(exc.cmd[0])).name} failed (exit {exc.returncode})", file=sys.stderr
        )
        return 1


def build(args: argparse.Namespace) -> int:
    profile = site_profile.load(args.profile)
    host = "windows" if sys.platform == "win32" else "linux"
    if not args.dry_run and args.target != host:
        raise BuildError(
            f"the {args.target} build is made on {args.target} (PyInstaller does not cross-build)"
        )
    work = args.out / f"{profile['site_id']}-{args.target}"
    work.mkdir(parents=True, exist_ok=True)
    dist_dir = work / "dist" / f"Accoglienza-{version()}"
    artefact = args.dist.resolve() / artefact_name(profile, args.target)
    if not args.dry_run:
        python = build_python(args.target)
        subprocess.run([str(python), "-m", "desktop.i18n_build", "compile"], cwd=ROOT, check=True)
        dist_dir = pyinstaller(python, work, profile, args.target)
        # The profile once, beside the program, where an administrator can read it.
        (dist_dir / "site.json").write_text(
            json.dumps(profile, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        write_licences(dist_dir, site_packages(python), python)
    if args.target == "linux":
        if not args.dry_run:
            linux_archive(dist_dir, artefact, profile)
            print("\n".join(report_sizes(dist_dir, artefact)))
        print(artefact)
        return 0
    include_dir = work / "nsis"
    if not args.dry_run:
        for exe in ("Accoglienza.exe", "accoglienza-cli.exe"):
            sign(dist_dir / exe)
    file_lists(dist_dir, include_dir)
    nsi = work / f"accoglienza-{profile['site_id']}.nsi"
    nsi.write_text(fill_template(profile, dist_dir, artefact, include_dir), encoding="utf-8")
    if not args.dry_run:
        makensis = shutil.which("makensis")
        if makensis is None:
            raise BuildError("NSIS is not installed (makensis is needed for the setup program)")
        artefact.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([makensis, "-V2", str(nsi)], check=True)
        sign(artefact)
        print("\n".join(report_sizes(dist_dir, artefact)))
    print(nsi)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
