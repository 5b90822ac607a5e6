#!/usr/bin/env bash
# Start desktop_pos in demo mode (used by `make demo`). Extra arguments are
# passed to `desktop-pos`. With no display (DISPLAY, WAYLAND_DISPLAY and
# QT_QPA_PLATFORM all unset) it runs under Xvfb when xvfb-run exists.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="$ROOT/.venv/bin/desktop-pos"

[[ -x "$APP" ]] || { printf 'run_demo: %s is missing; run `make venv` first\n' "$APP" >&2; exit 1; }

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    if command -v xvfb-run >/dev/null 2>&1; then
        printf 'run_demo: no display (DISPLAY/WAYLAND_DISPLAY unset); running under Xvfb via xvfb-run\n' >&2
        exec xvfb-run -a -s "-screen 0 1280x800x24" "$APP" --demo "$@"
    fi
    printf 'run_demo: no display: set DISPLAY (or WAYLAND_DISPLAY), install xvfb (apt-get install xvfb) to use a virtual screen, or set QT_QPA_PLATFORM=offscreen\n' >&2
    exit 2
fi

exec "$APP" --demo "$@"
