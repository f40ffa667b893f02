#!/usr/bin/env bash
# Accoglienza's two entry points for a fresh Linux machine with Python 3.11:
#   ./dev.sh run [--demo] [accoglienza options]   set up, then start the application
#   ./dev.sh test [pytest options]                set up, then run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

python_bin() {
    for p in python3.11 python3.12 python3.13 python3; do
        if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "$p"; return
        fi
    done
    echo "Python 3.11 or newer is needed" >&2; exit 1
}

system_libraries() {
    # Qt needs a few system libraries even off screen; install them where we can.
    if command -v ldconfig >/dev/null 2>&1 && ! ldconfig -p | grep -q 'libEGL.so.1'; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 >/dev/null
        else
            echo "Qt needs libEGL, libGL and libxkbcommon: install them with your package manager" >&2
        fi
    fi
    # On a display (X11, also a virtual one such as Xvfb) Qt's xcb plugin needs these too.
    local libs=""
    if [ -n "${DISPLAY:-}" ] && command -v ldconfig >/dev/null 2>&1; then libs=$(ldconfig -p); fi
    if [ -n "$libs" ] && ! { grep -q 'libxcb-cursor.so.0' <<<"$libs" && grep -q 'libxcb-icccm.so.4' <<<"$libs" \
               && grep -q 'libxcb-keysyms.so.1' <<<"$libs" && grep -q 'libxkbcommon-x11.so.0' <<<"$libs"; }; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
                libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 >/dev/null
        else
            echo "Qt needs the xcb libraries on a display: install libxcb-cursor0, libxcb-icccm4," \
                 "libxcb-keysyms1 and libxkbcommon-x11-0 with your package manager" >&2
        fi
    fi
}

setup() {
    system_libraries
    if [ ! -x .venv/bin/python ]; then
        "$(python_bin)" -m venv .venv
    fi
    local stamp=.venv/.installed
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        .venv/bin/python -m pip install -q --upgrade pip >/dev/null
        .venv/bin/python -m pip install -q -e '.[dev]'
        touch "$stamp"
    fi
    .venv/bin/python -m desktop.i18n_build compile
}

postgres_up() {
    if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
        if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
            pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
            for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
        fi
    fi
}

cmd=${1:-run}
shift || true
case "$cmd" in
    run)
        setup
        if [ "${1:-}" = "--demo" ]; then
            shift
            demo_db=$(.venv/bin/python -c 'from desktop.paths import demo_database_path; print(demo_database_path())')
            if [ ! -f "$demo_db" ]; then
                .venv/bin/accoglienza --database "$demo_db" demo --scale coop
            fi
            exec .venv/bin/accoglienza --database "$demo_db" "$@"
        fi
        exec .venv/bin/accoglienza "$@"
        ;;
    test)
        setup
        postgres_up
        exec .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: ./dev.sh run [--demo] | ./dev.sh test" >&2
        exit 2
        ;;
esac
