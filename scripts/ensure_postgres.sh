#!/usr/bin/env bash
# Make sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are on the
# machine for the tests marked `postgres`. Starts nothing: the tests create and
# stop their own throwaway cluster.
#
# As root on Debian: apt-get install postgresql if initdb is missing.
# Not root: print the apt-get line and exit 0 (the postgres tests then skip).
set -euo pipefail

log()  { printf 'ensure_postgres: %s\n' "$*"; }
warn() { printf 'ensure_postgres: warning: %s\n' "$*" >&2; }

have_initdb() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1
}

have_initdb && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    warn "PostgreSQL server binaries (initdb) not found and no apt-get;" \
         "install PostgreSQL to run the tests marked 'postgres' (they skip otherwise)"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    warn "PostgreSQL server binaries (initdb) not found; the tests marked 'postgres' will skip." \
         "To run them:"
    printf 'sudo apt-get install -y postgresql\n'
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log "installing PostgreSQL server binaries (Debian package postgresql)"
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null

have_initdb || { printf 'ensure_postgres: error: initdb still missing after install\n' >&2; exit 1; }
