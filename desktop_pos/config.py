"""Settings: a TOML file in the user config directory, overridden by the command line.

No secret is ever read from or written to the TOML file: the gateway password lives in the OS
keyring. A file that cannot be read, an unknown key, a wrong type or a secret in the file stops the
start with a ``ConfigError`` that names the file, the key and what is wrong. The ``[printer]`` table
is read by ``desktop_pos.hardware.printer.settings`` (docs/printing.md), the ``[reader]`` table by
``desktop_pos.hardware.reader.settings``; ``save_reader_settings`` writes the latter back from
«Настройки → Картридер…».
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.hardware.reader.settings import ReaderSettings, ReaderSettingsError
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language, LocalizedText

log = logging.getLogger(__name__)

APP_NAME = "desktop-pos"
APP_AUTHOR = "desktop-pos"
_SECRET_WORDS = ("password", "secret", "token", "passwd")


class ConfigError(UserFacingError):
    """The settings file is unreadable or has a wrong value."""


@dataclass(frozen=True, slots=True)
class MerchantInfo:
    """Who sells: printed on receipts (54-FZ requisites)."""

    legal_name: str = ""
    inn: str = ""
    address: str = ""
    place_of_settlement: str = ""
    tax_system: str = "ОСН"
    cashier: str = ""
    kkt_serial: str = ""
    ofd_name: str = ""


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    """Where the Assist gateway is and who we are there; the password is in the OS keyring."""

    base_url: str = ""
    merchant_id: str = ""
    login: str = ""
    timeout_s: float = 10.0
    verify_tls: bool = True

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.merchant_id and self.login)


@dataclass(frozen=True, slots=True)
class MerchantApiConfig:
    """``[merchant_api]``: the local API for the merchant's system and the order lookup
    (docs/integration-api.md). The API's bearer token is in the OS keyring or in ``auth_file``."""

    enabled: bool = False
    port: int = 8765
    queue_size: int = 5
    auth_file: str = ""
    lookup_url: str = ""
    """The merchant's order service, ``{ordernum}`` marking the number (empty: no lookup)."""
    lookup_timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class AppPaths:
    config_file: Path
    data_dir: Path
    log_dir: Path

    @property
    def default_db_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'desktop_pos.sqlite3'}"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "desktop-pos.log"

    @classmethod
    def default(cls) -> AppPaths:
        return cls(
            config_file=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "config.toml",
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        )


@dataclass(frozen=True, slots=True)
class Config:
    paths: AppPaths
    db_url: str = ""
    language: Language = Language.RU
    demo: bool = False
    merchant: MerchantInfo = field(default_factory=MerchantInfo)
    gateway: GatewayConfig = field(default_factory=GatewayConfig)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    merchant_api: MerchantApiConfig = field(default_factory=MerchantApiConfig)
    reader: ReaderSettings = field(default_factory=ReaderSettings)

    @property
    def database_url(self) -> str:
        return self.db_url or self.paths.default_db_url


def _error(path: Path, ru: str, en: str, **params: object) -> ConfigError:
    text = LocalizedText(f"Файл настроек {{path}}: {ru}", f"Settings file {{path}}: {en}")
    return ConfigError(text.format(path=path, **params))


def _check_no_secrets(path: Path, table: dict[str, Any], prefix: str = "") -> None:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise _error(
                path,
                "ключ «{key}» похож на секрет. Пароли хранятся в системном хранилище ключей, "
                "а не в файле настроек: удалите его из файла.",
                "the key '{key}' looks like a secret. Passwords are kept in the system keyring, "
                "not in the settings file: remove it from the file.",
                key=name,
            )
        if isinstance(value, dict):
            _check_no_secrets(path, value, f"{name}.")


def _string(path: Path, table: dict[str, Any], key: str, prefix: str) -> str | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str):
        raise _error(
            path,
            "значение «{key}» должно быть строкой в кавычках.",
            "the value of '{key}' must be a quoted string.",
            key=f"{prefix}{key}",
        )
    return value


def _reject_unknown(path: Path, table: dict[str, Any], known: set[str], prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise _error(
            path,
            "неизвестные ключи: {keys}.",
            "unknown keys: {keys}.",
            keys=", ".join(f"{prefix}{k}" for k in unknown),
        )


def load_config(
    paths: AppPaths,
    *,
    db_url: str | None = None,
    language: str | None = None,
    demo: bool | None = None,
) -> Config:
    """Read ``paths.config_file`` (a missing file means defaults) and apply the overrides."""
    path = paths.config_file
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise _error(
                path, "не удалось прочитать ({err}).", "cannot be read ({err}).", err=exc
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise _error(
                path, "ошибка синтаксиса TOML: {err}.", "TOML syntax error: {err}.", err=exc
            ) from exc
    _check_no_secrets(path, raw)
    _reject_unknown(
        path,
        raw,
        {
            "language",
            "demo",
            "database",
            "merchant",
            "gateway",
            "printer",
            "merchant_api",
            "reader",
        },
        "",
    )

    config = Config(paths=paths)
    file_language = _string(path, raw, "language", "")
    if file_language is not None:
        config = replace(config, language=_language(path, file_language))
    if "demo" in raw:
        if not isinstance(raw["demo"], bool):
            raise _error(path, "«demo» — true или false.", "'demo' must be true or false.")
        config = replace(config, demo=raw["demo"])

    database = _table(path, raw, "database")
    _reject_unknown(path, database, {"url"}, "database.")
    url = _string(path, database, "url", "database.")
    if url:
        config = replace(config, db_url=url)

    merchant_table = _table(path, raw, "merchant")
    merchant_keys = {f.name for f in fields(MerchantInfo)}
    _reject_unknown(path, merchant_table, merchant_keys, "merchant.")
    merchant_values = {
        key: value
        for key in merchant_keys
        if (value := _string(path, merchant_table, key, "merchant.")) is not None
    }
    inn = merchant_values.get("inn", "")
    if inn and not (inn.isdigit() and len(inn) in (10, 12)):
        raise _error(path, "ИНН — 10 или 12 цифр.", "an INN has 10 or 12 digits.")
    config = replace(config, merchant=replace(MerchantInfo(), **merchant_values))

    config = replace(config, gateway=_gateway(path, _table(path, raw, "gateway")))
    config = replace(config, printer=_printer(path, _table(path, raw, "printer")))
    config = replace(config, merchant_api=_merchant_api(path, _table(path, raw, "merchant_api")))
    config = replace(config, reader=_reader(path, _table(path, raw, "reader")))

    if db_url:
        config = replace(config, db_url=db_url)
    if language:
        config = replace(config, language=_language(Path("--lang"), language))
    if demo is not None and demo:
        config = replace(config, demo=True)
    return config


def _table(path: Path, raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise _error(
            path,
            "«{key}» должен быть таблицей [{key}].",
            "'{key}' must be a table [{key}].",
            key=key,
        )
    return value


def _language(path: Path, value: str) -> Language:
    try:
        return Language(value.lower())
    except ValueError:
        raise _error(
            path,
            "язык «{value}» не поддерживается (ru или en).",
            "language '{value}' is not supported (ru or en).",
            value=value,
        ) from None


def _gateway(path: Path, table: dict[str, Any]) -> GatewayConfig:
    _reject_unknown(
        path, table, {"base_url", "merchant_id", "login", "timeout_s", "verify_tls"}, "gateway."
    )
    base_url = (_string(path, table, "base_url", "gateway.") or "").rstrip("/")
    if base_url and not base_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise _error(
            path,
            "«gateway.base_url» должен начинаться с https:// (без шифрования — только "
            "http://127.0.0.1 для тестового шлюза).",
            "'gateway.base_url' must start with https:// (plain http only for a test gateway "
            "on http://127.0.0.1).",
        )
    merchant_id = _string(path, table, "merchant_id", "gateway.") or ""
    if merchant_id and not merchant_id.isdigit():
        raise _error(path, "«gateway.merchant_id» — число.", "'gateway.merchant_id' is a number.")
    login = _string(path, table, "login", "gateway.") or ""
    timeout = table.get("timeout_s", 10.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 1 <= timeout <= 120:
        raise _error(
            path,
            "«gateway.timeout_s» — число секунд от 1 до 120.",
            "'gateway.timeout_s' is a number of seconds from 1 to 120.",
        )
    verify = table.get("verify_tls", True)
    if not isinstance(verify, bool):
        raise _error(
            path,
            "«gateway.verify_tls» — true или false.",
            "'gateway.verify_tls' must be true or false.",
        )
    return GatewayConfig(base_url, merchant_id, login, float(timeout), verify)


def _printer(path: Path, table: dict[str, Any]) -> PrinterSettings:
    """The ``[printer]`` table; the model-specific profile check runs later, off the GUI thread
    (``PrinterSettings.profile()``), since it loads python-escpos' printer database."""
    try:
        return PrinterSettings.from_mapping(table, check_profile=False)
    except PrinterSettingsError as exc:
        raise ConfigError(
            LocalizedText(
                f"Файл настроек {path}: {exc.text.ru}", f"Settings file {path}: {exc.text.en}"
            ),
            field=exc.field,
        ) from exc


def _merchant_api(path: Path, table: dict[str, Any]) -> MerchantApiConfig:
    """The ``[merchant_api]`` table (docs/integration-api.md)."""
    prefix = "merchant_api."
    _reject_unknown(path, table, {f.name for f in fields(MerchantApiConfig)}, prefix)
    defaults = MerchantApiConfig()
    enabled = table.get("enabled", False)
    if not isinstance(enabled, bool):
        raise _error(
            path,
            "«{key}» — true или false.",
            "'{key}' must be true or false.",
            key=f"{prefix}enabled",
        )
    numbers: dict[str, float] = {}
    for key, low, high, default in (
        ("port", 1024, 65535, defaults.port),
        ("queue_size", 0, 100, defaults.queue_size),
        ("lookup_timeout_s", 1, 120, defaults.lookup_timeout_s),
    ):
        value = table.get(key, default)
        whole = key != "lookup_timeout_s"
        kinds = int if whole else int | float
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            raise _error(
                path,
                "«{key}» — число от {low} до {high}.",
                "'{key}' is a number from {low} to {high}.",
                key=f"{prefix}{key}",
                low=low,
                high=high,
            )
        numbers[key] = value
    lookup_url = _string(path, table, "lookup_url", prefix) or ""
    if lookup_url and (
        not lookup_url.startswith(("https://", "http://")) or "{ordernum}" not in lookup_url
    ):
        raise _error(
            path,
            "«{key}» — адрес http(s)://, в котором {{ordernum}} отмечает номер заказа.",
            "'{key}' is an http(s):// URL in which {{ordernum}} marks the order number.",
            key=f"{prefix}lookup_url",
        )
    return MerchantApiConfig(
        enabled=enabled,
        port=int(numbers["port"]),
        queue_size=int(numbers["queue_size"]),
        auth_file=_string(path, table, "auth_file", prefix) or "",
        lookup_url=lookup_url,
        lookup_timeout_s=float(numbers["lookup_timeout_s"]),
    )


def _reader(path: Path, table: dict[str, Any]) -> ReaderSettings:
    """The ``[reader]`` table (docs/reader-protocol.md, the card reader)."""
    try:
        return ReaderSettings.from_table(table)
    except ReaderSettingsError as exc:
        raise ConfigError(
            LocalizedText(
                f"Файл настроек {path}: {exc.text.ru}", f"Settings file {path}: {exc.text.en}"
            ),
            field=exc.field,
        ) from exc


def save_reader_settings(path: Path, settings: ReaderSettings) -> None:
    """Replace the ``[reader]`` table of the TOML file at ``path``, keeping every other table;
    ``ConfigError`` when the file cannot be read back or written."""
    import tomli_w

    raw: dict[str, Any] = {}
    try:
        if path.exists():
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        raw["reader"] = settings.to_table()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(tomli_w.dumps(raw), encoding="utf-8")
        os.replace(temporary, path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _error(
            path,
            "не удалось сохранить настройки картридера ({err}).",
            "the card reader settings could not be saved ({err}).",
            err=exc,
        ) from exc
    log.info("reader settings saved to %s", path)
