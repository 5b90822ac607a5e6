"""What an ESC/POS printer would print from a byte stream: text lines with their styles, QR
codes, raster images, barcodes, feeds and cuts, plus the drawer pulses and status requests.

The meaning of every command follows the Epson ESC/POS command reference (docs/virtual-printer.md
lists what is decoded). ``decode`` takes a whole stream; ``Interpreter`` takes commands one at a
time from ``commands.Tokenizer`` (the virtual printer feeds it as bytes arrive).

The result types live in ``decoded`` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop_pos.sandbox.virtual_printer.code_pages import DEFAULT_TABLE, code_page_table
from desktop_pos.sandbox.virtual_printer.commands import (
    Command,
    Malformed,
    Token,
    Tokenizer,
    UnknownBytes,
)
from desktop_pos.sandbox.virtual_printer.decoded import (
    DEFAULT_LINE_SPACING,
    FONT_CELLS,
    TAB_WIDTH,
    Align,
    Block,
    CutKind,
    DecodedBarcode,
    DecodedFeed,
    DecodedImage,
    DecodedLine,
    DecodedQr,
    DecodedReceipt,
    DecodedSpan,
    DecodedStream,
    DrawerPulse,
)
from desktop_pos.sandbox.virtual_printer.modes import (
    ALIGN_PARAMS,
    PrintModes,
    SymbolSettings,
    digit_param,
)
from desktop_pos.sandbox.virtual_printer.symbol_commands import SymbolCommands

__all__ = [
    "Align",
    "Block",
    "CutKind",
    "DecodedBarcode",
    "DecodedFeed",
    "DecodedImage",
    "DecodedLine",
    "DecodedQr",
    "DecodedReceipt",
    "DecodedSpan",
    "DecodedStream",
    "DrawerPulse",
    "Interpreter",
    "decode",
]


class Interpreter(SymbolCommands):
    """Applies commands to a printer state and collects what gets printed into ``stream``.

    ``paper_dots``: the print area width; when given, text that does not fit wraps onto the next
    line as on a real printer (and a warning is recorded). None: lines never wrap.
    """

    def __init__(
        self,
        *,
        code_pages: Mapping[int, str] | None = None,
        paper_dots: int | None = None,
        keep_commands: bool = True,
    ) -> None:
        self.code_pages = code_page_table(code_pages)
        self.paper_dots = paper_dots
        self.keep_commands = keep_commands
        self.stream = DecodedStream()
        self._receipt = DecodedReceipt()
        self._completed: list[DecodedReceipt] = []
        self._reset()

    # -- state ---------------------------------------------------------------------------

    def _reset(self) -> None:
        self.style = PrintModes()
        self.symbols = SymbolSettings()
        self.code_table = DEFAULT_TABLE
        self.codec = self.code_pages[DEFAULT_TABLE]
        self.tabs = [TAB_WIDTH * i for i in range(1, 33)]
        self._spans: list[DecodedSpan] = []
        self._line_align = Align.LEFT
        self._line_offset = 0
        self._line_x = 0
        self._line_has_graphics = False

    @property
    def has_content(self) -> bool:
        return bool(self._receipt.blocks or self._spans)

    def take_completed(self) -> list[DecodedReceipt]:
        """Receipts ended by a cut since the last call."""
        done, self._completed = self._completed, []
        return done

    def finish(self, end_offset: int) -> DecodedReceipt | None:
        """End of input: the printed but uncut rest (if anything was printed) as a receipt with
        ``cut=False``; it is also added to ``stream.receipts``."""
        if self._spans:
            self._end_line(end_offset)
        if not self._receipt.blocks:
            return None
        receipt = self._receipt
        receipt.end_offset = end_offset
        self.stream.receipts.append(receipt)
        self._receipt = DecodedReceipt(start_offset=end_offset)
        return receipt

    # -- tokens --------------------------------------------------------------------------

    def apply(self, token: Token) -> None:
        if isinstance(token, UnknownBytes):
            self.stream.unknown.append(token.describe())
            return
        if isinstance(token, Malformed):
            self.stream.unknown.append(token.describe())
            self.stream.complete = False
            return
        if self.keep_commands:
            self.stream.commands.append(token)
        handler = _HANDLERS.get(token.name)
        if handler is None:
            if token.name not in _IGNORED:
                self.stream.unknown.append(f"undecoded {token.describe()}")
            return
        handler(self, token)

    # -- text ----------------------------------------------------------------------------

    def _char_advance(self) -> int:
        cell_width = FONT_CELLS[self.style.font][0]
        return cell_width * self.style.width_mag

    def _area(self) -> int | None:
        if self.paper_dots is None:
            return None
        room = self.paper_dots - self.style.left_margin
        if self.style.area_width is not None:
            room = min(room, self.style.area_width)
        return max(room, 0)

    def _add_text(self, text: str, offset: int) -> None:
        area = self._area()
        advance = self._char_advance()
        for char in text:
            if area is not None and self._line_x + advance > area and self._spans:
                self.stream.warnings.append(f"text wider than the print area at offset {offset}")
                self._end_line(offset, wrapped=True)
            if not self._spans:
                self._line_align = self.style.align
                self._line_offset = offset
            self._append_char(char)
            self._line_x += advance

    def _append_char(self, char: str) -> None:
        style = self.style
        span = DecodedSpan(
            char,
            bold=style.bold,
            width_mag=style.width_mag,
            height_mag=style.height_mag,
            underline=style.underline,
            reverse=style.reverse,
            font=style.font,
        )
        last = self._spans[-1] if self._spans else None
        if last is not None and last.same_style(span):
            self._spans[-1] = DecodedSpan(
                last.text + char,
                bold=last.bold,
                width_mag=last.width_mag,
                height_mag=last.height_mag,
                underline=last.underline,
                reverse=last.reverse,
                font=last.font,
            )
        else:
            self._spans.append(span)

    def _text(self, command: Command) -> None:
        self._add_text(command.params.decode(self.codec, errors="replace"), command.offset)

    def _tab(self, command: Command) -> None:
        column = self._line_x // max(FONT_CELLS[self.style.font][0], 1)
        target = next((t for t in self.tabs if t > column), None)
        if target is not None:
            self._add_text(" " * (target - column), command.offset)

    def _end_line(self, offset: int, *, wrapped: bool = False) -> None:
        style = self.style
        spans = tuple(self._spans)
        text = "".join(span.text for span in spans)
        inked = [span for span in spans if span.text.strip()]
        tallest = max((s.height_mag for s in spans), default=style.height_mag)
        char_height = FONT_CELLS[style.font][1] * tallest
        line = DecodedLine(
            text=text,
            align=self._line_align if spans else style.align,
            bold=bool(inked) and all(s.bold for s in inked),
            double_width=bool(inked) and all(s.width_mag >= 2 for s in inked),
            double_height=bool(inked) and all(s.height_mag >= 2 for s in inked),
            spans=spans,
            underline=bool(inked) and all(s.underline for s in inked),
            reverse=bool(inked) and all(s.reverse for s in inked),
            upside_down=style.upside_down,
            height_dots=max(style.line_spacing, char_height),
            left_margin=style.left_margin,
            area_width=style.area_width,
            wrapped=wrapped,
            offset=self._line_offset if spans else offset,
        )
        self._receipt.blocks.append(line)
        self._spans = []
        self._line_x = 0

    def _print_line(self, command: Command) -> None:
        """LF: print the buffer and feed one line (a graphics line feeds without a text line)."""
        if self._line_has_graphics and not self._spans:
            self._line_has_graphics = False
            return
        self._line_has_graphics = False
        self._end_line(command.offset)

    def _flush_for(self, command: Command) -> None:
        """Commands valid only at the beginning of a line: print what is pending first."""
        if self._spans:
            self.stream.warnings.append(
                f"{command.name} at offset {command.offset} with unprinted text on the line"
            )
            self._end_line(command.offset)

    # -- feeds and cuts ------------------------------------------------------------------

    def _feed_lines(self, command: Command) -> None:
        lines = command.param(0)
        printed = bool(self._spans)
        if printed:
            self._end_line(command.offset)
        extra = lines - 1 if printed else lines
        if extra > 0:
            self._receipt.blocks.append(
                DecodedFeed(extra * self.style.line_spacing, command.offset)
            )

    def _feed_dots(self, command: Command) -> None:
        if self._spans:
            self._end_line(command.offset)
        if command.param(0):
            self._receipt.blocks.append(DecodedFeed(command.param(0), command.offset))

    def _cut(self, command: Command) -> None:
        self._flush_for(command)
        if command.name == "GS V":
            mode = command.param(0)
            kind = CutKind.FULL if mode in (0, 48, 65, 97, 103) else CutKind.PARTIAL
            if mode in (65, 66, 97, 98, 103, 104) and command.param(1):
                feed = command.param(1)
                self._receipt.blocks.append(DecodedFeed(feed, command.offset))
        else:
            kind = CutKind.PARTIAL
        end = command.offset + len(command.raw)
        if not self._receipt.blocks:
            self._receipt.start_offset = end
            return
        receipt = self._receipt
        receipt.cut, receipt.cut_kind, receipt.end_offset = True, kind, end
        self.stream.receipts.append(receipt)
        self._completed.append(receipt)
        self._receipt = DecodedReceipt(start_offset=end)

    # -- modes ---------------------------------------------------------------------------

    def _init(self, command: Command) -> None:
        if self._spans:
            self.stream.warnings.append(
                f"ESC @ at offset {command.offset} discarded unprinted text "
                f"{''.join(s.text for s in self._spans)!r}"
            )
        self._reset()

    def _print_mode(self, command: Command) -> None:
        bits = command.param(0)
        self.style.font = 1 if bits & 0x01 else 0
        self.style.bold = bool(bits & 0x08)
        self.style.height_mag = 2 if bits & 0x10 else 1
        self.style.width_mag = 2 if bits & 0x20 else 1
        self.style.underline = 1 if bits & 0x80 else 0

    def _char_size(self, command: Command) -> None:
        value = command.param(0)
        width, height = (value >> 4) + 1, (value & 0x0F) + 1
        if width > 8 or height > 8:
            self.stream.unknown.append(f"GS ! {value} out of range at offset {command.offset}")
            return
        self.style.width_mag, self.style.height_mag = width, height

    def _bold(self, command: Command) -> None:
        self.style.bold = bool(command.param(0) & 1)

    def _underline(self, command: Command) -> None:
        value = digit_param(command.param(0))
        if value in (0, 1, 2):
            self.style.underline = value

    def _font(self, command: Command) -> None:
        value = digit_param(command.param(0))
        if value in FONT_CELLS:
            self.style.font = value

    def _align(self, command: Command) -> None:
        value = ALIGN_PARAMS.get(digit_param(command.param(0)))
        if value is None:
            self.stream.unknown.append(f"ESC a {command.param(0)} at offset {command.offset}")
            return
        if self._spans:
            # The reference: justification is enabled only at the beginning of a line.
            self.stream.warnings.append(
                f"ESC a at offset {command.offset} in the middle of a line is ignored"
            )
            return
        self.style.align = value

    def _reverse(self, command: Command) -> None:
        self.style.reverse = bool(command.param(0) & 1)

    def _upside_down(self, command: Command) -> None:
        self.style.upside_down = bool(command.param(0) & 1)

    def _line_spacing(self, command: Command) -> None:
        if command.name == "ESC 2":
            self.style.line_spacing = DEFAULT_LINE_SPACING
        else:
            self.style.line_spacing = command.param(0)

    def _left_margin(self, command: Command) -> None:
        self.style.left_margin = command.u16(0)

    def _area_width(self, command: Command) -> None:
        self.style.area_width = command.u16(0)

    def _code_table(self, command: Command) -> None:
        number = command.param(0)
        codec = self.code_pages.get(number)
        if codec is None:
            self.stream.unknown.append(
                f"ESC t {number} at offset {command.offset}: no codec for code table {number}"
            )
            return
        self.code_table, self.codec = number, codec

    def _tabs(self, command: Command) -> None:
        positions = [p for p in command.params[:-1]]
        self.tabs = positions if positions else [TAB_WIDTH * i for i in range(1, 33)]

    # -- devices -------------------------------------------------------------------------

    def _pulse(self, command: Command) -> None:
        pin_code = digit_param(command.param(0))
        if pin_code not in (0, 1):
            self.stream.unknown.append(f"ESC p {command.param(0)} at offset {command.offset}")
            return
        self.stream.drawer_pulses.append(
            DrawerPulse(
                pin=2 if pin_code == 0 else 5,
                on_ms=command.param(1) * 2,
                off_ms=command.param(2) * 2,
                offset=command.offset,
            )
        )

    def _real_time(self, command: Command) -> None:
        if command.name == "DLE EOT":
            self.stream.status_requests.append(command.param(0))
        elif command.name == "DLE DC4" and command.param(0) == 1:
            pin_code, units = command.param(1), command.param(2)
            if pin_code in (0, 1) and 1 <= units <= 8:
                self.stream.drawer_pulses.append(
                    DrawerPulse(
                        pin=2 if pin_code == 0 else 5,
                        on_ms=units * 100,
                        off_ms=units * 100,
                        offset=command.offset,
                        real_time=True,
                    )
                )


_HANDLERS = {
    "TEXT": Interpreter._text,
    "HT": Interpreter._tab,
    "LF": Interpreter._print_line,
    "FF": Interpreter._print_line,
    "ESC @": Interpreter._init,
    "ESC !": Interpreter._print_mode,
    "ESC E": Interpreter._bold,
    "ESC G": Interpreter._bold,
    "ESC -": Interpreter._underline,
    "ESC M": Interpreter._font,
    "ESC a": Interpreter._align,
    "ESC {": Interpreter._upside_down,
    "ESC 2": Interpreter._line_spacing,
    "ESC 3": Interpreter._line_spacing,
    "ESC t": Interpreter._code_table,
    "ESC D": Interpreter._tabs,
    "ESC d": Interpreter._feed_lines,
    "ESC J": Interpreter._feed_dots,
    "ESC i": Interpreter._cut,
    "ESC m": Interpreter._cut,
    "ESC p": Interpreter._pulse,
    "ESC *": Interpreter._column_image,
    "GS !": Interpreter._char_size,
    "GS B": Interpreter._reverse,
    "GS L": Interpreter._left_margin,
    "GS W": Interpreter._area_width,
    "GS V": Interpreter._cut,
    "GS ( k": Interpreter._symbol,
    "GS ( L": Interpreter._graphics,
    "GS v 0": Interpreter._raster,
    "GS h": Interpreter._barcode_setting,
    "GS w": Interpreter._barcode_setting,
    "GS H": Interpreter._barcode_setting,
    "GS k": Interpreter._barcode,
    "DLE EOT": Interpreter._real_time,
    "DLE DC4": Interpreter._real_time,
}

_IGNORED = frozenset(
    {
        "CR",  # ignored while automatic line feed is off (the default)
        "CAN",
        "ESC SP",
        "ESC %",
        "ESC =",
        "ESC R",
        "ESC U",
        "ESC c",
        "ESC r",
        "ESC u",
        "ESC v",
        "GS f",
        "GS P",
        "GS a",
        "GS b",
        "GS r",
        "GS I",
        "FS .",
        "FS &",
        "DLE ENQ",
    }
)
"""Commands that change nothing this decoder shows (no reply is sent to GS r / ESC v either)."""


def decode(
    data: bytes, *, code_pages: Mapping[int, str] | None = None, paper_dots: int | None = None
) -> DecodedStream:
    """Decode a whole ESC/POS stream. Never raises on bad input: unknown commands are recorded
    in ``unknown`` and skipped; malformed or truncated input is recorded and decoding stops
    there (``complete`` is False). ``code_pages`` adds or replaces ``ESC t`` table numbers;
    ``paper_dots`` turns on wrapping at the print-area width."""
    interpreter = Interpreter(code_pages=code_pages, paper_dots=paper_dots)
    tokenizer = Tokenizer()
    for token in tokenizer.feed(data):
        interpreter.apply(token)
    truncated = tokenizer.truncated()
    if truncated is not None:
        interpreter.stream.unknown.append(truncated)
        interpreter.stream.complete = False
    interpreter.finish(len(data))
    return interpreter.stream
