"""Database fixtures: each store test runs on SQLite and on a throwaway PostgreSQL cluster.

``store_url`` is parametrized ``sqlite`` (a file in the test's tmp dir) and ``postgresql``
(marked ``postgres``: a fresh database per test in one cluster per session, tests/pg_cluster.py).
Without the PostgreSQL binaries the ``postgresql`` variants skip, except under ``CI=true``, where
they fail: CI must run them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_pos.services.store import Store
from tests.pg_cluster import create_database, drop_database, find_bindir, pg_cluster


@pytest.fixture(scope="session")
def postgres_cluster_url() -> Iterator[str]:
    """The URL of the session's throwaway cluster (its database ``posdb``)."""
    if find_bindir() is None:
        reason = (
            "PostgreSQL server binaries (initdb) not found under /usr/lib/postgresql/*/bin or on"
            " PATH; run scripts/ensure_postgres.sh (as root) to install them"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}. CI=true: the postgres tests must run there.", pytrace=False)
        pytest.skip(reason)
    with pg_cluster() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'pos.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no tables yet) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'pos.db'}"
        return
    cluster_url: str = request.getfixturevalue("postgres_cluster_url")
    name = f"test_{uuid.uuid4().hex[:16]}"
    url = create_database(cluster_url, name)
    try:
        yield url
    finally:
        drop_database(cluster_url, name)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated store on each backend."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
