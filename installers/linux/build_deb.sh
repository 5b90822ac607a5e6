#!/usr/bin/env bash
# Build the desktop-pos bundle (installers/desktop-pos.spec) and pack it as a Debian package.
#
#   bash installers/linux/build_deb.sh            # what `make installer` runs
#   OUT_DIR=/tmp/out bash installers/linux/build_deb.sh
#
# Environment: PYTHON (default .venv/bin/python, with PyInstaller: `make installer-deps`),
# OUT_DIR (default dist/), WORK_DIR (default build/installer), SKIP_BUNDLE=1 to pack the bundle
# already in WORK_DIR/dist/desktop-pos again.
# Output: OUT_DIR/desktop-pos_<version>_<arch>.deb; the last line printed is its path.
# Layout: /opt/desktop-pos (the bundle), /usr/bin/desktop-pos, the .desktop entry and its icon,
# and a udev rule that gives the logged-in user access to USB receipt printers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/installers/linux"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
OUT_DIR="${OUT_DIR:-$ROOT/dist}"
WORK_DIR="${WORK_DIR:-$ROOT/build/installer}"
PACKAGE=desktop-pos

log() { printf 'build_deb: %s\n' "$*" >&2; }
die() { printf 'build_deb: error: %s\n' "$*" >&2; exit 1; }

command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is needed (a Debian or Ubuntu machine)"
[[ -x "$PYTHON" ]] || die "no $PYTHON: run \`make venv\` first"

VERSION="$("$PYTHON" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
INSTALLED="$("$PYTHON" -c 'import importlib.metadata as m; print(m.version("desktop-pos"))' 2>/dev/null || true)"
# The bundle carries the installed metadata: it must say the same version as pyproject.toml.
[[ "$INSTALLED" == "$VERSION" ]] \
    || die "pyproject.toml says $VERSION but .venv has desktop-pos ${INSTALLED:-not installed}: run \`make venv\`"
ARCH="$(dpkg --print-architecture)"

BUNDLE="$WORK_DIR/dist/$PACKAGE"
if [[ "${SKIP_BUNDLE:-0}" != 1 || ! -x "$BUNDLE/$PACKAGE" ]]; then
    "$PYTHON" -c 'import PyInstaller' 2>/dev/null || die "PyInstaller is missing: run \`make installer-deps\`"
    log "building the bundle with PyInstaller ($WORK_DIR)"
    started=$SECONDS
    "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$WORK_DIR/dist" --workpath "$WORK_DIR/work" "$ROOT/installers/desktop-pos.spec"
    log "bundle built in $((SECONDS - started)) s: $(du -sh "$BUNDLE" | cut -f1)"
fi

STAGE="$WORK_DIR/deb/${PACKAGE}_${VERSION}_${ARCH}"
rm -rf "$STAGE"
install -d "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/lib/udev/rules.d" \
    "$STAGE/usr/share/doc/$PACKAGE"
cp -a "$BUNDLE" "$STAGE/opt/$PACKAGE"
find "$STAGE/opt/$PACKAGE" -name __pycache__ -type d -prune -exec rm -rf {} +
install -m 0755 "$HERE/desktop-pos.sh" "$STAGE/usr/bin/$PACKAGE"
install -m 0644 "$HERE/desktop-pos.desktop" "$STAGE/usr/share/applications/$PACKAGE.desktop"
install -m 0644 "$ROOT/resources/icons/desktop-pos.png" \
    "$STAGE/usr/share/icons/hicolor/256x256/apps/$PACKAGE.png"
install -m 0644 "$HERE/70-desktop-pos-printers.rules" "$STAGE/usr/lib/udev/rules.d/"
install -m 0644 "$ROOT/docs/install.md" "$STAGE/usr/share/doc/$PACKAGE/install.md"
install -m 0755 "$HERE/postinst" "$HERE/prerm" "$HERE/postrm" "$STAGE/DEBIAN/"

INSTALLED_SIZE="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$INSTALLED_SIZE/" \
    "$HERE/control.in" > "$STAGE/DEBIAN/control"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
    | xargs -0 md5sum) > "$STAGE/DEBIAN/md5sums"

mkdir -p "$OUT_DIR"
DEB="$OUT_DIR/${PACKAGE}_${VERSION}_${ARCH}.deb"
started=$SECONDS
dpkg-deb --root-owner-group -Zzstd --build "$STAGE" "$DEB" >/dev/null
log "packed in $((SECONDS - started)) s: $(du -h "$DEB" | cut -f1), $INSTALLED_SIZE KiB installed"
echo "$DEB"
