"""The decoder against byte sequences written by hand from the ESC/POS command reference."""

from __future__ import annotations

import pytest
import segno

from desktop_pos.sandbox.virtual_printer.code_pages import CodePageError
from desktop_pos.sandbox.virtual_printer.decoder import (
    Align,
    CutKind,
    DecodedBarcode,
    DecodedFeed,
    DecodedImage,
    DecodedLine,
    DecodedQr,
    DrawerPulse,
    decode,
)

ESC, GS, DLE, LF = b"\x1b", b"\x1d", b"\x10", b"\n"
INIT = ESC + b"@"


def only_receipt(data: bytes, **kwargs):
    stream = decode(data, **kwargs)
    assert stream.complete, stream.unknown
    assert len(stream.receipts) == 1, stream.receipts
    return stream.receipts[0]


def qr_bytes(payload: bytes, *, size: int = 3, level: int = 48) -> bytes:
    """GS ( k: model 2, module size, error level, store, print (function 165/167/169/180/181)."""
    store_len = len(payload) + 3
    return (
        GS + b"(k\x04\x00\x31\x41\x32\x00"
        + GS + b"(k\x03\x00\x31\x43" + bytes([size])
        + GS + b"(k\x03\x00\x31\x45" + bytes([level])
        + GS + b"(k" + bytes([store_len % 256, store_len // 256]) + b"\x31\x50\x30" + payload
        + GS + b"(k\x03\x00\x31\x51\x30"
    )  # fmt: skip


# -- text, line feeds, init -------------------------------------------------------------------


def test_lf_prints_each_line_and_an_empty_buffer_gives_a_blank_line() -> None:
    receipt = only_receipt(b"first\n\nthird\n")
    assert [line.text for line in receipt.lines] == ["first", "", "third"]
    assert receipt.text == "first\n\nthird"
    assert receipt.cut is False


def test_cr_is_ignored_while_automatic_line_feed_is_off() -> None:
    assert only_receipt(b"a\r\nb\r\n").text == "a\nb"


def test_text_without_lf_at_the_end_is_still_reported() -> None:
    assert only_receipt(b"a\ntail").text == "a\ntail"


def test_init_resets_the_modes_and_discards_unprinted_text() -> None:
    stream = decode(ESC + b"E\x01" + ESC + b"a\x01" + b"lost" + INIT + b"plain\n")
    line = stream.receipts[0].lines[0]
    assert (line.text, line.bold, line.align) == ("plain", False, Align.LEFT)
    assert any("ESC @" in warning and "lost" in warning for warning in stream.warnings)


def test_horizontal_tab_moves_to_the_next_tab_stop() -> None:
    assert only_receipt(b"ab\tc\n").text == "ab      c"
    custom = ESC + b"D\x04\x0a\x00"  # tab stops at columns 4 and 10
    assert only_receipt(custom + b"a\tb\tc\n").text == "a   b     c"


# -- feeds ------------------------------------------------------------------------------------


def test_esc_d_prints_the_line_and_feeds_n_lines() -> None:
    receipt = only_receipt(b"x" + ESC + b"d\x03")
    assert receipt.blocks == [receipt.lines[0], DecodedFeed(2 * 30, offset=1)]
    empty = only_receipt(ESC + b"d\x02")
    assert empty.blocks == [DecodedFeed(60, offset=0)]


def test_esc_j_feeds_n_dots() -> None:
    receipt = only_receipt(b"x" + ESC + b"J\x28")
    assert receipt.lines[0].text == "x"
    assert receipt.blocks[-1] == DecodedFeed(40, offset=1)


def test_line_spacing_esc_3_and_back_to_default_with_esc_2() -> None:
    receipt = only_receipt(ESC + b"3\x50" + b"a\n" + ESC + b"2" + b"b\n")
    assert [line.height_dots for line in receipt.lines] == [0x50, 30]


def test_a_tall_character_makes_the_line_taller_than_its_spacing() -> None:
    receipt = only_receipt(ESC + b"3\x10" + GS + b"!\x01" + b"A\n")
    assert receipt.lines[0].height_dots == 48  # font A 24 dots × 2


# -- code tables ------------------------------------------------------------------------------


def test_cyrillic_in_cp866_with_esc_t_17() -> None:
    text = "Итог: 150.00 руб. Ёё"
    assert only_receipt(ESC + b"t\x11" + text.encode("cp866") + LF).text == text


def test_cyrillic_in_cp1251_with_esc_t_46() -> None:
    text = "КАССОВЫЙ ЧЕК №12 — «ИТОГ»"
    assert only_receipt(ESC + b"t\x2e" + text.encode("cp1251") + LF).text == text


def test_table_59_is_cp866_and_a_model_table_can_be_given() -> None:
    assert only_receipt(ESC + b"t\x3b" + "Щи".encode("cp866") + LF).text == "Щи"
    custom = only_receipt(ESC + b"t\x49" + "Щи".encode("cp1251") + LF, code_pages={73: "cp1251"})
    assert custom.text == "Щи"


def test_the_default_table_is_pc437_again_after_init() -> None:
    data = ESC + b"t\x11" + "Я".encode("cp866") + LF + INIT + b"\x9b\n"
    assert only_receipt(data).text == "Я\n¢"


def test_an_unknown_code_table_is_reported_and_the_previous_one_kept() -> None:
    stream = decode(ESC + b"t\x11" + ESC + b"t\xc8" + "Да".encode("cp866") + LF)
    assert stream.receipts[0].text == "Да"
    assert stream.unknown == ["ESC t 200 at offset 3: no codec for code table 200"]


def test_a_code_page_table_with_a_bad_codec_is_refused() -> None:
    with pytest.raises(CodePageError, match="no known codec"):
        decode(b"", code_pages={59: "cp-nonsense"})


# -- styles -----------------------------------------------------------------------------------


def test_esc_e_sets_and_clears_bold() -> None:
    receipt = only_receipt(ESC + b"E\x01" + b"bold\n" + ESC + b"E\x00" + b"plain\n")
    assert [line.bold for line in receipt.lines] == [True, False]


def test_esc_bang_print_mode_bits() -> None:
    receipt = only_receipt(
        ESC + b"!\x38" + b"big\n"  # emphasized, double height, double width
        + ESC + b"!\x81" + b"small\n"  # underline, font B
        + ESC + b"!\x00" + b"normal\n"
    )  # fmt: skip
    big, small, normal = receipt.lines
    assert (big.bold, big.double_width, big.double_height) == (True, True, True)
    assert (small.underline, small.spans[0].font, small.bold) == (True, 1, False)
    assert (normal.bold, normal.double_width, normal.underline) == (False, False, False)


def test_gs_bang_character_size() -> None:
    receipt = only_receipt(GS + b"!\x10" + b"w\n" + GS + b"!\x23" + b"x\n" + GS + b"!\x00" + b"y\n")
    wide, huge, plain = receipt.lines
    assert (wide.double_width, wide.double_height) == (True, False)
    assert (huge.spans[0].width_mag, huge.spans[0].height_mag) == (3, 4)
    assert (plain.double_width, plain.double_height) == (False, False)


def test_gs_bang_out_of_range_is_reported() -> None:
    stream = decode(GS + b"!\x99" + b"x\n")
    assert stream.receipts[0].lines[0].double_width is False
    assert stream.unknown == ["GS ! 153 out of range at offset 0"]


def test_a_line_is_bold_only_when_every_character_is() -> None:
    line = only_receipt(ESC + b"E\x01" + b"TOTAL" + ESC + b"E\x00" + b" 150\n").lines[0]
    assert line.text == "TOTAL 150"
    assert line.bold is False
    assert [(span.text, span.bold) for span in line.spans] == [("TOTAL", True), (" 150", False)]


@pytest.mark.parametrize(
    ("param", "align"),
    [(0, Align.LEFT), (1, Align.CENTER), (2, Align.RIGHT), (48, Align.LEFT), (49, Align.CENTER)],
)
def test_esc_a_justification(param: int, align: Align) -> None:
    assert only_receipt(ESC + b"a" + bytes([param]) + b"x\n").lines[0].align is align


def test_esc_a_in_the_middle_of_a_line_is_ignored() -> None:
    stream = decode(b"ab" + ESC + b"a\x01" + b"c\n" + b"d\n")
    assert [line.align for line in stream.receipts[0].lines] == [Align.LEFT, Align.LEFT]
    assert stream.warnings == ["ESC a at offset 2 in the middle of a line is ignored"]


def test_esc_minus_underline_and_esc_m_font() -> None:
    receipt = only_receipt(ESC + b"-\x02" + ESC + b"M\x01" + b"u\n" + ESC + b"-\x30" + b"n\n")
    assert (receipt.lines[0].spans[0].underline, receipt.lines[0].spans[0].font) == (2, 1)
    assert receipt.lines[1].underline is False


def test_gs_b_reverse_and_esc_brace_upside_down() -> None:
    receipt = only_receipt(GS + b"B\x01" + ESC + b"{\x01" + b"r\n" + GS + b"B\x00" + b"n\n")
    assert (receipt.lines[0].reverse, receipt.lines[0].upside_down) == (True, True)
    assert receipt.lines[1].reverse is False


def test_gs_l_left_margin_and_gs_w_print_area_width() -> None:
    line = only_receipt(GS + b"L\x20\x00" + GS + b"W\x80\x01" + b"x\n").lines[0]
    assert (line.left_margin, line.area_width) == (32, 384)


def test_text_wider_than_the_paper_wraps_like_the_printer() -> None:
    stream = decode(b"x" * 50 + LF, paper_dots=576)  # 48 characters of font A fit
    assert [line.text for line in stream.receipts[0].lines] == ["x" * 48, "xx"]
    assert stream.receipts[0].lines[0].wrapped is True
    assert stream.warnings
    double = decode(ESC + b"!\x20" + b"y" * 30 + LF, paper_dots=576)
    assert [len(line.text) for line in double.receipts[0].lines] == [24, 6]


# -- cuts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "kind", "feed"),
    [
        (GS + b"V\x00", CutKind.FULL, None),
        (GS + b"V\x30", CutKind.FULL, None),
        (GS + b"V\x01", CutKind.PARTIAL, None),
        (GS + b"V\x31", CutKind.PARTIAL, None),
        (GS + b"VA\x10", CutKind.FULL, 16),
        (GS + b"VB\x08", CutKind.PARTIAL, 8),
        (ESC + b"i", CutKind.PARTIAL, None),
        (ESC + b"m", CutKind.PARTIAL, None),
    ],
)
def test_cut_commands(command: bytes, kind: CutKind, feed: int | None) -> None:
    receipt = only_receipt(b"x\n" + command)
    assert (receipt.cut, receipt.cut_kind) == (True, kind)
    if feed is not None:
        assert receipt.blocks[-1] == DecodedFeed(feed, offset=2)


def test_receipts_split_at_each_cut_and_the_rest_is_an_uncut_receipt() -> None:
    stream = decode(b"one\n" + GS + b"V\x00" + b"two\n" + GS + b"V\x01" + b"three\n")
    assert [(r.text, r.cut) for r in stream.receipts] == [
        ("one", True),
        ("two", True),
        ("three", False),
    ]
    assert stream.text == "one\ntwo\nthree"


def test_a_cut_with_nothing_printed_makes_no_receipt() -> None:
    stream = decode(b"one\n" + GS + b"V\x00" + GS + b"V\x00")
    assert len(stream.receipts) == 1


# -- drawer and status ------------------------------------------------------------------------


def test_esc_p_drawer_pulses() -> None:
    stream = decode(ESC + b"p\x00\x19\xfa" + ESC + b"p\x01\x32\x32" + ESC + b"p\x30\x01\x02")
    assert stream.drawer_pulses == [
        DrawerPulse(pin=2, on_ms=50, off_ms=500, offset=0),
        DrawerPulse(pin=5, on_ms=100, off_ms=100, offset=5),
        DrawerPulse(pin=2, on_ms=2, off_ms=4, offset=10),
    ]
    assert stream.receipts == []


def test_dle_dc4_real_time_pulse() -> None:
    stream = decode(DLE + b"\x14\x01\x01\x03")
    assert stream.drawer_pulses == [
        DrawerPulse(pin=5, on_ms=300, off_ms=300, offset=0, real_time=True)
    ]


def test_dle_eot_status_requests_inside_print_data() -> None:
    stream = decode(b"ab" + DLE + b"\x04\x01" + b"cd\n" + DLE + b"\x04\x02" + DLE + b"\x04\x04")
    assert stream.status_requests == [1, 2, 4]
    assert stream.receipts[0].text == "abcd"


# -- QR codes ---------------------------------------------------------------------------------


def test_qr_code_payload_module_size_and_width() -> None:
    payload = "t=20240101T1200&s=150.00&fn=9999078900012345&i=12345&fp=1234567890&n=1"
    receipt = only_receipt(ESC + b"a\x01" + qr_bytes(payload.encode(), size=6, level=49))
    (qr,) = receipt.qr_codes
    reference = segno.make(payload, error="m", micro=False, boost_error=False)
    modules = reference.symbol_size(border=0)[0]
    assert (qr.payload, qr.module_size, qr.error_level, qr.model) == (payload, 6, "M", 2)
    assert qr.width_dots == modules * 6
    assert qr.version == reference.version
    assert qr.align is Align.CENTER


def test_qr_defaults_are_module_3_and_level_l() -> None:
    store = GS + b"(k\x06\x00\x31\x50\x30abc"
    (qr,) = only_receipt(store + GS + b"(k\x03\x00\x31\x51\x30").qr_codes
    assert (qr.payload, qr.module_size, qr.error_level, qr.width_dots) == ("abc", 3, "L", 63)


def test_qr_print_without_data_prints_nothing() -> None:
    stream = decode(GS + b"(k\x03\x00\x31\x51\x30")
    assert stream.receipts == []
    assert stream.warnings == ["QR print at offset 0 with no data"]


def test_other_two_dimensional_symbols_are_recorded_as_unknown() -> None:
    stream = decode(GS + b"(k\x03\x00\x30\x41\x00")  # PDF417 (cn 48)
    assert stream.unknown == ["undecoded GS ( k 03 00 30 41 00 at offset 0"]


# -- images and barcodes ----------------------------------------------------------------------


def test_gs_v_0_raster_image() -> None:
    rows = bytes([0b10000000, 0b00000001, 0b11111111, 0b00000000, 0x00, 0x00])
    (image,) = only_receipt(GS + b"v0\x00\x02\x00\x03\x00" + rows).images
    assert (image.width_dots, image.height_dots, image.command) == (16, 3, "GS v 0")
    assert image.pixels == rows
    assert [image.is_black(x, 0) for x in (0, 1, 15)] == [True, False, True]
    assert all(image.is_black(x, 1) for x in range(8))


def test_gs_v_0_quadruple_mode_scales_both_ways() -> None:
    (image,) = only_receipt(GS + b"v0\x03\x01\x00\x01\x00\x80").images
    assert (image.width_dots, image.height_dots) == (16, 2)
    assert image.pixels == bytes([0b11000000, 0, 0b11000000, 0])


def test_esc_star_column_image() -> None:
    data = ESC + b"*\x21\x02\x00" + bytes([0x80, 0, 0x01, 0xFF, 0xFF, 0xFF]) + LF
    receipt = only_receipt(data)
    (image,) = receipt.images
    assert (image.width_dots, image.height_dots) == (2, 24)
    assert image.is_black(0, 0) and image.is_black(0, 23) and not image.is_black(0, 1)
    assert all(image.is_black(1, y) for y in range(24))
    assert receipt.lines == []  # the LF ends the graphics line; no text line


def test_gs_paren_l_graphics_store_and_print() -> None:
    pixels = bytes([0xF0, 0x0F])
    store = b"\x30\x70\x30\x01\x01\x31\x08\x00\x02\x00" + pixels
    data = GS + b"(L" + bytes([len(store), 0]) + store + GS + b"(L\x02\x00\x30\x32"
    (image,) = only_receipt(data).images
    assert (image.width_dots, image.height_dots, image.pixels) == (8, 2, pixels)


def test_barcodes_function_a_and_b_with_their_settings() -> None:
    data = (
        GS + b"h\x50" + GS + b"w\x02" + GS + b"H\x02"
        + GS + b"k\x02" + b"4006381333931\x00"
        + GS + b"k\x49\x05" + b"{BABC"
    )  # fmt: skip
    ean, code128 = only_receipt(data).barcodes
    assert ean == DecodedBarcode(2, b"4006381333931", 80, 2, 2, Align.LEFT, offset=9)
    assert (code128.system, code128.data) == (73, b"{BABC")


# -- bad input --------------------------------------------------------------------------------


def test_unknown_commands_are_recorded_with_their_offset_and_skipped() -> None:
    stream = decode(b"a" + ESC + b"\x01" + b"b" + GS + b"\x7f" + b"c" + b"\x00" + b"d\n")
    assert stream.receipts[0].text == "abcd"
    assert stream.unknown == [
        "unknown ESC 0x01 at offset 1",
        "unknown GS 0x7F at offset 4",
        "unknown NUL at offset 7",
    ]
    assert stream.complete


def test_a_malformed_command_stops_decoding_cleanly() -> None:
    stream = decode(b"kept\n" + GS + b"V\x07" + b"lost\n")
    assert stream.receipts[0].text == "kept"
    assert stream.unknown == ["malformed GS V at offset 5: cut mode 7"]
    assert stream.complete is False


@pytest.mark.parametrize(
    "tail",
    [ESC, GS + b"v0\x00\x02\x00", GS + b"(k\x10\x00\x31\x50\x30ab", ESC + b"p\x00\x19", DLE],
)
def test_truncated_input_is_recorded(tail: bytes) -> None:
    stream = decode(b"kept\n" + tail)
    assert stream.receipts[0].text == "kept"
    assert stream.complete is False
    assert stream.unknown[-1].startswith("truncated") and stream.unknown[-1].endswith("offset 5")


def test_the_block_order_is_kept() -> None:
    data = b"head\n" + qr_bytes(b"q") + GS + b"v0\x00\x01\x00\x01\x00\xff" + b"tail\n"
    kinds = [type(block) for block in only_receipt(data).blocks]
    assert kinds == [DecodedLine, DecodedQr, DecodedImage, DecodedLine]
