from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as NoKeyring

from desktop_pos.credentials import (
    KEYRING_SERVICE,
    keyring_username,
    load_gateway_password,
    store_gateway_password,
)


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend: the real keyring API with a dictionary behind it."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_password_round_trip_through_the_keyring(memory_keyring: MemoryKeyring) -> None:
    assert load_gateway_password("600000", "shop_login").password is None
    assert store_gateway_password("600000", "shop_login", "s3cr3t-Pa55") is None
    assert memory_keyring.secrets == {
        (KEYRING_SERVICE, keyring_username("600000", "shop_login")): "s3cr3t-Pa55"
    }
    found = load_gateway_password("600000", "shop_login")
    assert found.password == "s3cr3t-Pa55" and found.problem is None


def test_missing_password_says_how_to_set_it(memory_keyring: MemoryKeyring) -> None:
    found = load_gateway_password("600000", "other")
    assert found.password is None and found.problem is not None
    assert "set-password" in found.problem.en


def test_no_keyring_is_reported_plainly() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        found = load_gateway_password("600000", "shop_login")
        assert found.password is None
        assert found.problem is not None and "memory only" in found.problem.en
        assert store_gateway_password("600000", "shop_login", "x") is not None
    finally:
        keyring.set_keyring(previous)
