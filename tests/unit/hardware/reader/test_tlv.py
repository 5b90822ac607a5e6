"""BER-TLV: multi-byte tags, long lengths, constructed objects, malformed data, log output."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_pos.hardware.reader.errors import ReaderProtocolError
from desktop_pos.hardware.reader.tlv import (
    EMV_TAG_NAMES,
    TlvError,
    TlvItem,
    build_tlv,
    describe,
    find,
    find_all,
    is_constructed,
    parse_tlv,
    tag_bytes,
    tag_name,
)

ISSUER_DATA = bytes.fromhex(
    "910A1122334455667788 3030"  # 91: ARPC + response code "00"
    "7111 9F1804 00000001 8608 8424000008AABBCC"  # 71: script id + one command
)


def test_the_contract_tags_have_names() -> None:
    for tag in [
        "9F26",
        "9F27",
        "9F10",
        "9F37",
        "9F36",
        "95",
        "9A",
        "9C",
        "9F02",
        "5F2A",
        "82",
        "84",
        "9F1A",
        "9F34",
        "9F33",
        "9F35",
        "50",
        "4F",
        "5F34",
        "91",
        "71",
        "72",
    ]:
        assert tag_name(tag) != "unknown", tag
        assert int(tag, 16) in EMV_TAG_NAMES


def test_parse_issuer_data_with_a_constructed_script() -> None:
    data = bytes.fromhex(ISSUER_DATA.hex().replace(" ", ""))
    items = parse_tlv(data)
    assert [item.tag for item in items] == [0x91, 0x71]
    assert items[0].value == bytes.fromhex("11223344556677883030")
    assert not items[0].constructed and items[1].constructed
    assert [c.tag for c in items[1].children()] == [0x9F18, 0x86]
    assert find(data, "9F18") == bytes.fromhex("00000001")
    assert find(data, 0x86) == bytes.fromhex("8424000008AABBCC")
    assert find(data, 0x72) is None
    assert find_all(data, 0x86) == [bytes.fromhex("8424000008AABBCC")]
    with pytest.raises(TlvError):
        items[0].children()


def test_tuples_and_items_build_the_same() -> None:
    items = [(0x9F26, bytes(8)), (0x9F27, b"\x80"), (0x95, bytes(5))]
    data = build_tlv(items)
    assert data.hex().upper() == "9F260800000000000000009F2701809505" + "00" * 5
    assert parse_tlv(data) == [TlvItem(t, v) for t, v in items]
    assert build_tlv([TlvItem(0x9F26, bytes(8)), ("9F27", b"\x80"), (0x95, bytes(5))]) == data
    tag, value = parse_tlv(data)[0]
    assert (tag, value) == (0x9F26, bytes(8))


@pytest.mark.parametrize(
    ("size", "length_hex"),
    [(0, "00"), (127, "7F"), (128, "8180"), (255, "81FF"), (256, "820100"), (70000, "83011170")],
)
def test_length_forms(size: int, length_hex: str) -> None:
    data = build_tlv([(0x9F10, bytes(size))])
    assert data[2 : 2 + len(length_hex) // 2].hex().upper() == length_hex
    assert parse_tlv(data) == [TlvItem(0x9F10, bytes(size))]


def test_long_length_form_and_padding_are_accepted_when_parsing() -> None:
    assert parse_tlv(bytes.fromhex("00 9A 8103 240115 00 00")) == [
        TlvItem(0x9A, bytes.fromhex("240115"))
    ]


@pytest.mark.parametrize(
    "hex_data",
    [
        "9F",  # tag cut
        "9F26",  # length missing
        "9F2608AABB",  # value cut
        "9A80",  # indefinite length
        "9A85 0000000001 00",  # five length bytes
        "9A82 01",  # length bytes cut
        "9F818181 01 00",  # tag longer than three bytes
    ],
)
def test_malformed(hex_data: str) -> None:
    with pytest.raises(TlvError):
        parse_tlv(bytes.fromhex(hex_data))
    assert issubclass(TlvError, ReaderProtocolError)
    assert issubclass(TlvError, ValueError)


@pytest.mark.parametrize("tag", [0x9F, 0x9F81, 0x1F00 | 0x85, -1, 0x9F818181, "zz"])
def test_bad_tags_are_refused_when_building(tag: int | str) -> None:
    with pytest.raises(TlvError):
        tag_bytes(tag)


def test_constructed_bit() -> None:
    assert is_constructed(0x71) and is_constructed(0x72) and is_constructed(0x70)
    assert not is_constructed(0x9F26) and not is_constructed(0x5A)
    assert is_constructed(0xBF0C)


def test_describe_names_tags_and_hides_card_data() -> None:
    data = build_tlv(
        [
            (0x9F26, bytes.fromhex("1A2B3C4D5E6F7081")),
            (0x5A, bytes.fromhex("2202201234567890")),
            (0x57, bytes.fromhex("2202201234567890D2812F")),
            (0x71, build_tlv([(0x9F18, bytes(4))])),
        ]
    )
    text = describe(data)
    assert "9F26 Application Cryptogram: 1A2B3C4D5E6F7081" in text
    assert "5A Application PAN: <8 bytes redacted>" in text
    assert "2202201234567890" not in text
    assert "  9F18 Issuer Script Identifier: 00000000" in text
    assert describe(b"\x9f").startswith("<malformed TLV")


primitive_tags = st.sampled_from([0x4F, 0x50, 0x82, 0x84, 0x95, 0x9A, 0x9C, 0x9F02, 0x9F26, 0x5F2A])
leaf = st.tuples(primitive_tags, st.binary(max_size=300))


@given(st.lists(leaf, max_size=8))
def test_round_trip(items: list[tuple[int, bytes]]) -> None:
    data = build_tlv(items)
    assert [(i.tag, i.value) for i in parse_tlv(data)] == [(t, v) for t, v in items]
    assert build_tlv(parse_tlv(data)) == data


@given(st.lists(leaf, min_size=1, max_size=4))
def test_nested_round_trip(items: list[tuple[int, bytes]]) -> None:
    data = build_tlv([(0x72, build_tlv(items)), (0x91, b"\x01")])
    outer = parse_tlv(data)
    assert [(c.tag, c.value) for c in outer[0].children()] == items
    assert find(data, items[0][0]) == items[0][1]


@given(st.binary(max_size=50))
def test_random_bytes_parse_or_raise_tlv_error(raw: bytes) -> None:
    with contextlib.suppress(TlvError):
        parse_tlv(raw)
