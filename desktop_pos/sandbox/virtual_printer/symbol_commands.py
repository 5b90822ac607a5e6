"""ESC/POS symbols and images for the virtual printer's ``Interpreter``: QR codes (``GS ( k``),
raster, column and stored graphics (``GS v 0``, ``ESC *``, ``GS ( L``) and barcodes (``GS k``
with ``GS h`` / ``GS w`` / ``GS H``).

``SymbolCommands`` is mixed into ``decoder.Interpreter``, which owns the state it uses (the
stream, the receipt being printed, the style, the symbol settings, the code page) and
``_flush_for``.
"""

from __future__ import annotations

import segno

from desktop_pos.sandbox.virtual_printer.bit_images import (
    BitImage,
    column_image,
    graphics_image,
    raster_image,
)
from desktop_pos.sandbox.virtual_printer.commands import Command
from desktop_pos.sandbox.virtual_printer.decoded import (
    QR_ERROR_LEVELS,
    DecodedBarcode,
    DecodedImage,
    DecodedQr,
    DecodedReceipt,
    DecodedStream,
    qr_symbol,
)
from desktop_pos.sandbox.virtual_printer.modes import PrintModes, SymbolSettings, digit_param


class SymbolCommands:
    """The symbol and image commands (see the module docstring)."""

    stream: DecodedStream
    style: PrintModes
    symbols: SymbolSettings
    codec: str
    _receipt: DecodedReceipt
    _line_has_graphics: bool

    def _flush_for(self, command: Command) -> None:
        """End the line being printed before a block (``Interpreter``)."""
        raise NotImplementedError

    def _symbol(self, command: Command) -> None:
        """``GS ( k pL pH cn fn …``: cn 49 is QR Code; other symbols are recorded as unknown."""
        params = command.params[2:]
        if len(params) < 2 or params[0] != 49:
            self.stream.unknown.append(f"undecoded {command.describe()}")
            return
        fn, args = params[1], params[2:]
        symbols = self.symbols
        if fn == 65 and args:  # model: 49 model 1, 50 model 2, 51 micro QR
            symbols.qr_model = {49: 1, 50: 2, 51: 0}.get(args[0], 2)
        elif fn == 67 and args:  # module size
            if 1 <= args[0] <= 16:
                symbols.qr_module = args[0]
        elif fn == 69 and args:  # error correction level
            symbols.qr_error = QR_ERROR_LEVELS.get(args[0], symbols.qr_error)
        elif fn == 80 and args:  # store data (args[0] is m = 48)
            symbols.qr_data = bytes(args[1:])
        elif fn == 81:  # print the stored symbol
            self._print_qr(command)
        elif fn != 82:  # 82 = transmit size information: nothing printed
            self.stream.unknown.append(f"undecoded {command.describe()}")

    def _print_qr(self, command: Command) -> None:
        symbols = self.symbols
        if not symbols.qr_data:
            self.stream.warnings.append(f"QR print at offset {command.offset} with no data")
            return
        self._flush_for(command)
        data = symbols.qr_data
        try:
            payload = data.decode("utf-8")
        except UnicodeDecodeError:
            payload = data.decode(self.codec, errors="replace")
        try:
            symbol = qr_symbol(payload, data, symbols.qr_error, symbols.qr_model)
        except segno.DataOverflowError:
            self.stream.unknown.append(f"QR data too long at offset {command.offset}")
            return
        modules = int(symbol.symbol_size(border=0)[0])
        self._receipt.blocks.append(
            DecodedQr(
                payload=payload,
                module_size=symbols.qr_module,
                width_dots=modules * symbols.qr_module,
                error_level=symbols.qr_error,
                model=symbols.qr_model,
                version=symbol.version if isinstance(symbol.version, int) else 0,
                data=data,
                align=self.style.align,
                left_margin=self.style.left_margin,
                area_width=self.style.area_width,
                offset=command.offset,
            )
        )

    def _add_image(self, picture: BitImage | None, command: Command) -> None:
        if picture is None:
            self.stream.unknown.append(f"bad image data in {command.describe()}")
            return
        self._flush_for(command)
        width, height, pixels = picture
        self._receipt.blocks.append(
            DecodedImage(
                width_dots=width,
                height_dots=height,
                pixels=pixels,
                align=self.style.align,
                command=command.name,
                left_margin=self.style.left_margin,
                area_width=self.style.area_width,
                offset=command.offset,
            )
        )

    def _raster(self, command: Command) -> None:
        picture = raster_image(command.params)
        if picture is not None and not picture[0] * picture[1]:
            self.stream.warnings.append(f"empty raster image at offset {command.offset}")
            return
        self._add_image(picture, command)

    def _column_image(self, command: Command) -> None:
        self._add_image(column_image(command.params), command)
        self._line_has_graphics = True

    def _graphics(self, command: Command) -> None:
        """``GS ( L``: fn 112 stores a raster graphic, fn 50 prints it; others are ignored."""
        params = command.params[2:]
        if len(params) < 2 or params[0] != 48 or params[1] not in (2, 50, 112):
            self.stream.unknown.append(f"undecoded {command.describe()}")
        elif params[1] == 112:
            self.symbols.graphics = graphics_image(params)
            if self.symbols.graphics is None:
                self.stream.unknown.append(f"bad graphics data in {command.describe()}")
        elif self.symbols.graphics is not None:
            self._add_image(self.symbols.graphics, command)
            self.symbols.graphics = None

    def _barcode_setting(self, command: Command) -> None:
        value = command.param(0)
        if command.name == "GS h":
            self.symbols.barcode_height = value
        elif command.name == "GS w":
            self.symbols.barcode_width = value
        else:
            self.symbols.hri_position = digit_param(value)

    def _barcode(self, command: Command) -> None:
        system = command.param(0)
        data = command.params[1:-1] if system <= 6 else command.params[2:]
        self._flush_for(command)
        self._receipt.blocks.append(
            DecodedBarcode(
                system=system,
                data=bytes(data),
                height_dots=self.symbols.barcode_height,
                module_width=self.symbols.barcode_width,
                hri_position=self.symbols.hri_position,
                align=self.style.align,
                offset=command.offset,
            )
        )
