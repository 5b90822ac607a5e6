"""DLE EOT replies (Epson TM semantics) -> PrinterStatus and the error that stops printing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_pos.hardware.printer.errors import (
    PrinterCoverOpen,
    PrinterOffline,
    PrinterPaperOut,
    PrinterReplyError,
)
from desktop_pos.hardware.printer.status import (
    STATUS_QUERY,
    PrinterStatus,
    parse_offline_cause,
    parse_paper_sensor,
    parse_printer_status,
    parse_status_replies,
)

NORMAL = 0x12


def test_the_query_is_dle_eot_1_2_4() -> None:
    assert bytes([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4]) == STATUS_QUERY


def test_normal_replies_mean_ready() -> None:
    status = parse_status_replies(bytes([NORMAL, NORMAL, NORMAL]))
    assert status == PrinterStatus(online=True)
    assert status.ready and status.problem() is None
    assert status.text.en == "The printer is ready."


def test_paper_out_as_the_virtual_printer_reports_it() -> None:
    # EOT1 offline (bit 3), EOT2 stopped by paper end (bit 5), EOT4 paper end (bits 5+6)
    status = parse_status_replies(bytes([NORMAL | 0x08, NORMAL | 0x20, NORMAL | 0x60]))
    assert not status.online and status.paper_out and not status.cover_open
    assert isinstance(status.problem(), PrinterPaperOut)
    assert "закончилась бумага" in status.text.ru


def test_cover_open_is_named_before_paper_end() -> None:
    status = parse_status_replies(bytes([NORMAL | 0x08, NORMAL | 0x04 | 0x20, NORMAL | 0x60]))
    assert status.cover_open and status.paper_out
    assert isinstance(status.problem(), PrinterCoverOpen)


def test_near_end_still_prints() -> None:
    status = parse_status_replies(bytes([NORMAL, NORMAL, NORMAL | 0x0C]))
    assert status.paper_near_end and status.ready
    assert "заканчивается" in status.text.ru


@pytest.mark.parametrize("sensor_bits", [0x20, 0x40, 0x60])
def test_either_paper_end_bit_means_paper_out(sensor_bits: int) -> None:
    assert parse_paper_sensor(NORMAL | sensor_bits) == (False, True)


def test_offline_without_a_known_cause() -> None:
    status = parse_status_replies(bytes([NORMAL | 0x08, NORMAL, NORMAL]))
    problem = status.problem()
    assert type(problem) is PrinterOffline


def test_error_bit_is_reported_as_offline_with_its_own_text() -> None:
    status = parse_status_replies(bytes([NORMAL | 0x08, NORMAL | 0x40, NORMAL]))
    assert status.error
    problem = status.problem()
    assert isinstance(problem, PrinterOffline)
    assert "ошибке" in problem.text.ru


def test_single_reply_parsers() -> None:
    assert parse_printer_status(NORMAL) is True
    assert parse_printer_status(NORMAL | 0x08) is False
    assert parse_offline_cause(NORMAL | 0x04) == (True, False, False)
    assert parse_paper_sensor(NORMAL | 0x0C) == (True, False)


@pytest.mark.parametrize(
    "reply",
    [
        b"",
        bytes([NORMAL, NORMAL]),
        bytes([NORMAL, NORMAL, NORMAL, NORMAL]),
        bytes([0x10, 0x04, 0x01]),  # an echo of the query (loop-back cable, wrong device)
        bytes([0x00, NORMAL, NORMAL]),
        bytes([NORMAL, 0xFF, NORMAL]),
        bytes([NORMAL, NORMAL, 0x92]),  # bit 7 must be clear
    ],
)
def test_bytes_that_are_not_a_status_reply_give_a_clear_error(reply: bytes) -> None:
    with pytest.raises(PrinterReplyError) as info:
        parse_status_replies(reply)
    assert "ответ на запрос состояния" in info.value.text.ru
    assert not info.value.retryable


@given(st.binary(min_size=3, max_size=3))
def test_any_three_bytes_give_a_status_or_a_reply_error(reply: bytes) -> None:
    try:
        status = parse_status_replies(reply)
    except PrinterReplyError:
        assert any(b & 0x93 != 0x12 for b in reply)
    else:
        assert all(b & 0x93 == 0x12 for b in reply)
        assert status.online == (not reply[0] & 0x08)
