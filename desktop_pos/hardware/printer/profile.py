"""A receipt printer's profile: model, paper, characters per line, code page, QR mode.

The model names a profile of python-escpos' printer database (``default`` suits Epson and most
ESC/POS printers). Cyrillic needs a code page with the Russian alphabet: CP866 by default;
CP1251, CP855, ISO_8859-5 and others work too. The number the printer knows the code page by
(``ESC t n``) differs between models: it comes from the model's profile, or ``code_table`` when
the printer's manual says otherwise (or the database does not list the page for the model).

Everything is checked when the profile is made: a wrong value raises ``PrinterSettingsError``
with a Russian and English message naming the ``[printer]`` key, so the settings page shows it
and a sale never fails on it later.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.models.texts import LocalizedText

PAPER_WIDTHS_MM = (58, 80)
DEFAULT_DOTS = {58: 384, 80: 576}
"""Printable dots per line at 203 dpi: 48 mm on 58 mm paper, 72 mm on 80 mm paper."""
DOTS_RANGE = {58: (288, 432), 80: (384, 640)}
DEFAULT_CHARS = {58: 32, 80: 48}
FONT_A_DOTS = 12
"""Font A is 12 dots wide: 576 dots give 48 characters, 512 give 42, 384 give 32."""
MIN_CHARS_PER_LINE = 24
DOTS_PER_MM = 8.0
"""203 dpi, the resolution of thermal receipt printers."""

RUSSIAN_LETTERS = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_SECTION = "printer"


def _error(key: str, ru: str, en: str) -> PrinterSettingsError:
    return PrinterSettingsError.for_key(f"{_SECTION}.{key}", LocalizedText(ru, en))


@cache
def _escpos_capabilities() -> dict[str, Any]:
    from escpos.capabilities import CAPABILITIES

    data: dict[str, Any] = CAPABILITIES
    return data


def known_models() -> tuple[str, ...]:
    """The model profiles python-escpos knows, sorted."""
    return tuple(sorted(_escpos_capabilities()["profiles"]))


def escpos_model_data(model: str) -> dict[str, Any]:
    """The model's entry in python-escpos' printer database."""
    data: dict[str, Any] = _escpos_capabilities()["profiles"][model]
    return data


def _model_code_pages(model: str) -> dict[str, int]:
    """Code page name → ESC t number, as the model's profile lists them."""
    pages: dict[str, str] = escpos_model_data(model).get("codePages", {})
    return {name: int(number) for number, name in pages.items() if name != "Unknown"}


@dataclass(frozen=True, slots=True)
class CodePage:
    """A code page resolved for printing."""

    name: str
    """The name as python-escpos knows it (``CP866``), or as given for one only Python knows."""
    python_codec: str
    table: int
    """The ``ESC t n`` number."""
    in_escpos: bool
    """python-escpos has the page in its database (its encoder then writes the text)."""


def _codec_name(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


@cache
def _escpos_encodings_by_codec() -> dict[str, str]:
    """Python codec name → python-escpos encoding name, for pages with a Python codec."""
    found: dict[str, str] = {}
    for name, data in _escpos_capabilities()["encodings"].items():
        python_name = data.get("python_encode")
        codec = _codec_name(python_name) if isinstance(python_name, str) else None
        if codec is not None:
            found.setdefault(codec, name)
    return found


def _resolve_code_page(name: str) -> tuple[str, str, bool] | None:
    """(name, Python codec, known to python-escpos) for a code page name, None if unknown."""
    raw = name.strip()
    candidates = [raw, raw.upper(), raw.replace("_", "-")]
    if raw.upper().startswith("PC") and raw[2:].isdigit():
        candidates.append("CP" + raw[2:])
    encodings = _escpos_capabilities()["encodings"]
    for candidate in candidates:
        data = encodings.get(candidate.upper())
        if data is not None and isinstance(data.get("python_encode"), str):
            codec = _codec_name(data["python_encode"])
            if codec is not None:
                return candidate.upper(), codec, True
    for candidate in candidates:
        codec = _codec_name(candidate)
        if codec is None:
            continue
        escpos_name = _escpos_encodings_by_codec().get(codec)
        if escpos_name is not None:
            return escpos_name, codec, True
        return raw.upper(), codec, False
    return None


@cache
def _single_byte_characters(codec: str) -> frozenset[str]:
    """The characters a code page prints: ASCII plus what bytes 128–255 decode to."""
    chars = {chr(code) for code in range(0x20, 0x7F)}
    for code in range(0x80, 0x100):
        try:
            decoded = bytes([code]).decode(codec)
        except UnicodeDecodeError:
            continue
        if len(decoded) == 1 and decoded.isprintable():
            chars.add(decoded)
    return frozenset(chars)


def code_pages_with_cyrillic(model: str = "default") -> tuple[str, ...]:
    """The code pages of a model's profile that print Russian text."""
    result = []
    for name in sorted(_model_code_pages(model)):
        resolved = _resolve_code_page(name)
        if resolved is not None and set(RUSSIAN_LETTERS) <= _single_byte_characters(resolved[1]):
            result.append(name)
    return tuple(result)


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """How to talk to one receipt printer model.

    ``chars_per_line`` and ``dots_per_line`` of 0 take the usual values: the model's printable
    width if its profile has one for this paper, else 384 dots on 58 mm and 576 on 80 mm; as many
    characters as font A (12 dots) fits, at most 32 on 58 mm and 48 on 80 mm. ``qr_native``
    prints the receipt QR with the printer's own QR command (``GS ( k``); False sends it as a
    picture (``GS v 0``) for printers without that command. ``code_table`` overrides the
    ``ESC t`` number of the code page.
    """

    model: str = "default"
    paper_mm: int = 80
    chars_per_line: int = 0
    code_page: str = "CP866"
    dots_per_line: int = 0
    qr_native: bool = True
    code_table: int | None = None
    resolved_code_page: CodePage = field(init=False, repr=False, compare=False)
    characters: frozenset[str] = field(init=False, repr=False, compare=False)
    """Every character the code page prints (control characters excluded)."""

    def __post_init__(self) -> None:
        self._check_model()
        self._check_paper()
        self._check_code_page()
        self._check_qr()

    def _check_model(self) -> None:
        if not isinstance(self.model, str) or self.model not in _escpos_capabilities()["profiles"]:
            names = ", ".join(known_models())
            raise _error(
                "model",
                f"неизвестная модель принтера «{self.model}». Известные модели: {names}. "
                "Для большинства принтеров ESC/POS подходит «default».",
                f"unknown printer model “{self.model}”. Known models: {names}. "
                "“default” suits most ESC/POS printers.",
            )

    def _check_paper(self) -> None:
        paper = self.paper_mm
        if isinstance(paper, bool) or paper not in PAPER_WIDTHS_MM:
            raise _error(
                "paper_mm",
                f"ширина бумаги должна быть 58 или 80 мм, указано «{paper}».",
                f"the paper width must be 58 or 80 mm, got “{paper}”.",
            )
        low, high = DOTS_RANGE[paper]
        dots = self.dots_per_line or self._model_dots(low, high) or DEFAULT_DOTS[paper]
        if isinstance(dots, bool) or not isinstance(dots, int) or not low <= dots <= high:
            raise _error(
                "dots_per_line",
                f"для бумаги {paper} мм точек в строке должно быть от {low} до {high}, "
                f"указано «{dots}».",
                f"for {paper} mm paper the dots per line must be {low} to {high}, got “{dots}”.",
            )
        object.__setattr__(self, "dots_per_line", dots)
        chars = self.chars_per_line or min(DEFAULT_CHARS[paper], dots // FONT_A_DOTS)
        most = dots // FONT_A_DOTS
        if (
            isinstance(chars, bool)
            or not isinstance(chars, int)
            or not (MIN_CHARS_PER_LINE <= chars <= most)
        ):
            raise _error(
                "chars_per_line",
                f"символов в строке должно быть от {MIN_CHARS_PER_LINE} до {most} для бумаги "
                f"{paper} мм ({dots} точек), указано «{chars}».",
                f"characters per line must be {MIN_CHARS_PER_LINE} to {most} for {paper} mm "
                f"paper ({dots} dots), got “{chars}”.",
            )
        object.__setattr__(self, "chars_per_line", chars)

    def _model_dots(self, low: int, high: int) -> int | None:
        """The model's printable width in dots when its profile has one that suits the paper."""
        pixels = escpos_model_data(self.model).get("media", {}).get("width", {}).get("pixels")
        return pixels if isinstance(pixels, int) and low <= pixels <= high else None

    def _check_code_page(self) -> None:
        name = self.code_page if isinstance(self.code_page, str) else ""
        resolved = _resolve_code_page(name) if name.strip() else None
        if resolved is None:
            raise _error(
                "code_page",
                f"неизвестная кодовая страница «{self.code_page}». Для русского текста "
                "подходят CP866 (обычно), CP1251, CP855, ISO_8859-5.",
                f"unknown code page “{self.code_page}”. For Russian text use CP866 (usual), "
                "CP1251, CP855 or ISO_8859-5.",
            )
        page_name, codec, in_escpos = resolved
        characters = _single_byte_characters(codec)
        if not set(RUSSIAN_LETTERS) <= characters:
            raise _error(
                "code_page",
                f"в кодовой странице «{self.code_page}» нет русских букв. Выберите CP866, "
                "CP1251, CP855 или ISO_8859-5.",
                f"code page “{self.code_page}” has no Russian letters. Choose CP866, CP1251, "
                "CP855 or ISO_8859-5.",
            )
        table = self.code_table
        if table is not None and (isinstance(table, bool) or not isinstance(table, int)):
            raise _error(
                "code_table",
                f"номер кодовой таблицы — целое число от 0 до 255, указано «{table}».",
                f"the code table number is a whole number 0 to 255, got “{table}”.",
            )
        if table is not None and not 0 <= table <= 255:
            raise _error(
                "code_table",
                f"номер кодовой таблицы должен быть от 0 до 255, указано «{table}».",
                f"the code table number must be 0 to 255, got “{table}”.",
            )
        if table is None:
            table = _model_code_pages(self.model).get(page_name)
        if table is None:
            raise _error(
                "code_table",
                f"для модели «{self.model}» номер кодовой страницы «{page_name}» неизвестен. "
                "Укажите code_table — номер таблицы (ESC t n) из руководства принтера.",
                f"the number of code page “{page_name}” on model “{self.model}” is unknown. "
                "Set code_table to the table number (ESC t n) from the printer's manual.",
            )
        object.__setattr__(self, "resolved_code_page", CodePage(page_name, codec, table, in_escpos))
        object.__setattr__(self, "characters", characters)

    def _check_qr(self) -> None:
        if not isinstance(self.qr_native, bool):
            raise _error(
                "qr_native",
                f"нужно true или false, указано «{self.qr_native}».",
                f"true or false expected, got “{self.qr_native}”.",
            )
        features: dict[str, bool] = escpos_model_data(self.model).get("features", {})
        if self.qr_native and not features.get("qrCode", False):
            raise _error(
                "qr_native",
                f"модель «{self.model}» не печатает QR-код своей командой. Установите "
                "qr_native = false (QR-код будет напечатан картинкой).",
                f"model “{self.model}” has no QR command. Set qr_native = false (the QR code "
                "is then printed as a picture).",
            )
        if not self.qr_native and not features.get("bitImageRaster", False):
            raise _error(
                "qr_native",
                f"модель «{self.model}» не печатает картинки; QR-код можно напечатать только "
                "командой принтера (qr_native = true).",
                f"model “{self.model}” prints no pictures; the QR code needs the printer's QR "
                "command (qr_native = true).",
            )

    @property
    def supports_cut(self) -> bool:
        features: dict[str, bool] = escpos_model_data(self.model).get("features", {})
        return bool(features.get("paperFullCut") or features.get("paperPartCut"))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> PrinterProfile:
        """A profile from the ``[printer]`` settings (keys ``model``, ``paper_mm``,
        ``chars_per_line``, ``code_page``, ``dots_per_line``, ``qr_native``, ``code_table``).

        Missing keys take their defaults (``qr_native``: what the model supports); other keys
        of the section (the connection, the drawer) are left to their own readers.
        """
        model = values.get("model", "default")
        if not isinstance(model, str) or not model.strip():
            raise _error("model", "укажите модель принтера.", "set the printer model.")
        model = model.strip()
        code_page = values.get("code_page", "CP866")
        if not isinstance(code_page, str) or not code_page.strip():
            raise _error(
                "code_page",
                "укажите кодовую страницу (обычно CP866).",
                "set the code page (usually CP866).",
            )
        qr_native = values.get("qr_native")
        if qr_native is None:
            qr_native = bool(
                model in _escpos_capabilities()["profiles"]
                and escpos_model_data(model).get("features", {}).get("qrCode", False)
            )
        else:
            qr_native = _boolean(qr_native, "qr_native")
        table = values.get("code_table")
        return cls(
            model=model,
            paper_mm=_integer(values.get("paper_mm", 80), "paper_mm"),
            chars_per_line=_integer(values.get("chars_per_line", 0), "chars_per_line"),
            code_page=code_page.strip(),
            dots_per_line=_integer(values.get("dots_per_line", 0), "dots_per_line"),
            qr_native=qr_native,
            code_table=None if table is None or table == "" else _integer(table, "code_table"),
        )


def _integer(value: object, key: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise _error(
        key,
        f"нужно целое число, указано «{value}».",
        f"a whole number expected, got “{value}”.",
    )


def _boolean(value: object, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise _error(
        key,
        f"нужно true или false, указано «{value}».",
        f"true or false expected, got “{value}”.",
    )


def qr_min_dots(min_width_mm: float) -> int:
    """The dots a QR must span to be ``min_width_mm`` wide at 203 dpi (20 mm → 160)."""
    dots = min_width_mm * DOTS_PER_MM
    return int(dots) if dots == int(dots) else int(dots) + 1
