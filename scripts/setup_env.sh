#!/usr/bin/env bash
# Idempotent bootstrap for desktop_pos, used by `make venv` (and so by
# `make demo` and `make test`).
#
#   1. Debian libraries that Qt (PySide6) needs, offscreen and on a real X display.
#      As root: installed with apt-get. Not root: one `sudo apt-get ...` line is
#      printed and the script fails. No dpkg (not Debian): a warning only.
#   2. .venv with a Python >= 3.11 (python3 on PATH, or $PYTHON), created if missing.
#   3. `pip install -c constraints.txt -e '.[test]'`, only when pyproject.toml or
#      constraints.txt changed since the last successful install (.venv/.installed-stamp).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
STAMP="$VENV/.installed-stamp"
MIN_PY="3.11"

log()  { printf 'setup_env: %s\n' "$*"; }
warn() { printf 'setup_env: warning: %s\n' "$*" >&2; }
die()  { printf 'setup_env: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# 1. System libraries
# ---------------------------------------------------------------------------
QT_OFFSCREEN_PKGS=(
    libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libglib2.0-0
    libpng16-16 libx11-6 fonts-dejavu-core
)
QT_XCB_PKGS=(
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1 libxcb1
    libdbus-1-3
)

is_installed() {
    # Newer Debian releases renamed some libraries with a t64 suffix.
    local name
    for name in "$1" "${1}t64"; do
        if [[ "$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null || true)" == "install ok installed" ]]; then
            return 0
        fi
    done
    return 1
}

ensure_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        warn "no dpkg: not a Debian system, skipping the check of Qt's system libraries" \
             "(Qt needs EGL/GL, fontconfig, freetype, xkbcommon and the xcb libraries)"
        return 0
    fi

    local missing=() pkg
    for pkg in "${QT_OFFSCREEN_PKGS[@]}" "${QT_XCB_PKGS[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0

    if [[ "$(id -u)" -ne 0 ]]; then
        printf 'setup_env: error: Debian packages that Qt needs are missing; install them with:\n' >&2
        printf 'sudo apt-get install -y %s\n' "${missing[*]}"
        exit 1
    fi

    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    export DEBIAN_FRONTEND=noninteractive
    log "installing Debian packages for Qt: ${missing[*]}"
    apt-get update -qq || die "apt-get update failed"

    # Use the t64 name where only that one exists (Debian 13 and later).
    local to_install=()
    for pkg in "${missing[@]}"; do
        if ! apt-cache show "$pkg" >/dev/null 2>&1 && apt-cache show "${pkg}t64" >/dev/null 2>&1; then
            to_install+=("${pkg}t64")
        else
            to_install+=("$pkg")
        fi
    done
    apt-get install -y -qq --no-install-recommends "${to_install[@]}" >/dev/null \
        || die "apt-get install ${to_install[*]} failed"
}

# ---------------------------------------------------------------------------
# 2. Virtual environment
# ---------------------------------------------------------------------------
py_ok() {
    # true when $1 runs and is at least MIN_PY
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

find_python() {
    local candidates=() c
    [[ -n "${PYTHON:-}" ]] && candidates+=("$PYTHON")
    candidates+=(python3 python3.13 python3.12 python3.11)
    for c in "${candidates[@]}"; do
        if command -v "$c" >/dev/null 2>&1 && py_ok "$c"; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [[ -x "$VENV/bin/python" ]] && py_ok "$VENV/bin/python"; then
        return 0
    fi
    local py
    if ! py="$(find_python)"; then
        local found
        found="$(python3 --version 2>&1 || echo 'no python3 on PATH')"
        die "Python >= $MIN_PY is needed (found: $found). Install python3.11 or newer, or set PYTHON=/path/to/python3.11"
    fi
    if [[ -e "$VENV" ]]; then
        warn "$VENV exists but its python does not run or is older than $MIN_PY; recreating it"
        "$py" -m venv --clear "$VENV" || die "could not recreate $VENV with $py"
    else
        log "creating $VENV with $py ($("$py" --version 2>&1))"
        "$py" -m venv "$VENV" || die "could not create $VENV with $py (on Debian: apt-get install python3-venv)"
    fi
    rm -f "$STAMP"
}

# ---------------------------------------------------------------------------
# 3. Python packages
# ---------------------------------------------------------------------------
needs_install() {
    [[ -f "$STAMP" ]] || return 0
    [[ pyproject.toml -nt "$STAMP" ]] && return 0
    [[ constraints.txt -nt "$STAMP" ]] && return 0
    # Someone uninstalled the project by hand?
    "$VENV/bin/python" -c 'import importlib.metadata as m; m.version("desktop-pos")' \
        >/dev/null 2>&1 || return 0
    return 1
}

install_packages() {
    needs_install || return 0
    [[ -f constraints.txt ]] || die "constraints.txt is missing"
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
    log "installing pinned Python packages into .venv (constraints.txt)"
    "$VENV/bin/python" -m pip install -q -c constraints.txt pip \
        || die "could not install the pinned pip"
    "$VENV/bin/python" -m pip install -q -c constraints.txt -e '.[test]' \
        || die "pip install -c constraints.txt -e '.[test]' failed"
    touch "$STAMP"
}

ensure_system_packages
ensure_venv
install_packages
