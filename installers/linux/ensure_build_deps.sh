#!/usr/bin/env bash
# What `make installer` and the installer tests need besides .venv (idempotent; `make installer-deps`):
#   1. PyInstaller in .venv: `pip install -c constraints.txt -e '.[test,build]'`, again only when
#      pyproject.toml or constraints.txt changed (.venv/.build-deps-stamp);
#   2. as root on Debian: the packages the .deb depends on, so `dpkg -i` of it succeeds here
#      (not root: a warning only; the installer tests skip without root anyway).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
STAMP="$VENV/.build-deps-stamp"
RUNTIME_DEPENDS=(libegl1 libgl1 libxcb1 fontconfig fonts-dejavu-core)

log()  { printf 'installer-deps: %s\n' "$*"; }
warn() { printf 'installer-deps: warning: %s\n' "$*" >&2; }

if [[ ! -f "$STAMP" || pyproject.toml -nt "$STAMP" || constraints.txt -nt "$STAMP" ]] \
    || ! "$VENV/bin/python" -c 'import PyInstaller' >/dev/null 2>&1; then
    log "installing PyInstaller into .venv (constraints.txt)"
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
        "$VENV/bin/python" -m pip install -q -c constraints.txt -e '.[test,build]'
    touch "$STAMP"
fi

command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
for pkg in "${RUNTIME_DEPENDS[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" == "install ok installed" ]] \
        || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ "$(id -u)" -ne 0 ]]; then
    warn "the .deb needs ${missing[*]}: sudo apt-get install -y ${missing[*]}"
    exit 0
fi
log "installing the packages the .deb depends on: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
