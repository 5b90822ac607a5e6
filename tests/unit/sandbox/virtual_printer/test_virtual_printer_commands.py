"""Splitting a byte stream into commands: lengths from the reference, commands cut by packet
boundaries, and arbitrary bytes never crashing the decoder."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_pos.sandbox.virtual_printer.commands import (
    Command,
    Malformed,
    Tokenizer,
    UnknownBytes,
)
from desktop_pos.sandbox.virtual_printer.decoder import decode

ESC, GS, DLE = b"\x1b", b"\x1d", b"\x10"

SAMPLE = (
    ESC + b"@" + ESC + b"t\x11" + ESC + b"!\x38" + "Чек".encode("cp866") + b"\n"
    + GS + b"(k\x06\x00\x31\x50\x30abc" + GS + b"(k\x03\x00\x31\x51\x30"
    + DLE + b"\x04\x01"
    + GS + b"v0\x00\x01\x00\x02\x00\xaa\x55"
    + ESC + b"p\x00\x19\x19" + GS + b"VA\x03"
)  # fmt: skip


def names(tokens) -> list[str]:
    return [t.name if isinstance(t, Command) else type(t).__name__ for t in tokens]


def commands(tokens, *, text: bool) -> list[Command]:
    """The commands among ``tokens``: only the text runs, or all but the text runs."""
    return [t for t in tokens if isinstance(t, Command) and (t.name == "TEXT") == text]


def test_commands_and_text_runs() -> None:
    tokens = Tokenizer().feed(SAMPLE)
    assert names(tokens) == [
        "ESC @",
        "ESC t",
        "ESC !",
        "TEXT",
        "LF",
        "GS ( k",
        "GS ( k",
        "DLE EOT",
        "GS v 0",
        "ESC p",
        "GS V",
    ]
    assert b"".join(t.raw for t in tokens if isinstance(t, Command)) == SAMPLE
    qr_store = tokens[5]
    assert isinstance(qr_store, Command)
    assert qr_store.params == b"\x06\x00\x31\x50\x30abc"


def test_a_command_split_across_reads_waits_for_its_last_byte() -> None:
    tokenizer = Tokenizer()
    whole = Tokenizer().feed(SAMPLE)
    pieces = [tokenizer.feed(SAMPLE[i : i + 1]) for i in range(len(SAMPLE))]
    joined = [t for piece in pieces for t in piece]
    # Text runs may come in pieces; everything else is identical, offsets included.
    assert commands(joined, text=False) == commands(whole, text=False)
    assert tokenizer.truncated() is None


def test_pending_bytes_of_an_unfinished_command() -> None:
    tokenizer = Tokenizer()
    assert names(tokenizer.feed(b"ab" + GS + b"v0\x00\x01")) == ["TEXT"]
    assert tokenizer.pending == GS + b"v0\x00\x01"
    assert tokenizer.truncated() == "truncated GS v 0 at offset 2"
    assert names(tokenizer.feed(b"\x00\x01\x00\xff")) == ["GS v 0"]


def test_unknown_and_malformed_tokens() -> None:
    tokenizer = Tokenizer()
    tokens = tokenizer.feed(ESC + b"\x05" + b"\x01" + ESC + b"*\x07\x01\x00" + b"after")
    assert tokens == [
        UnknownBytes(0, ESC + b"\x05"),
        UnknownBytes(2, b"\x01"),
        Malformed(3, "ESC *", "bit-image mode 7"),
    ]
    assert tokenizer.broken
    assert tokenizer.feed(b"more") == []


def test_a_huge_declared_length_is_malformed_not_awaited() -> None:
    (token,) = Tokenizer().feed(GS + b"8L\xff\xff\xff\x7f")
    assert isinstance(token, Malformed)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    stream = decode(data, paper_dots=384)
    assert isinstance(stream.unknown, list)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([SAMPLE[:7], SAMPLE[7:30], SAMPLE[30:], b"x\n"]), max_size=8))
def test_decoding_does_not_depend_on_how_the_bytes_are_split(parts: list[bytes]) -> None:
    data = b"".join(parts)
    whole = Tokenizer().feed(data)
    tokenizer = Tokenizer()
    split = [t for i in range(0, len(data), 5) for t in tokenizer.feed(data[i : i + 5])]
    assert commands(split, text=False) == commands(whole, text=False)
    text = b"".join(t.params for t in commands(split, text=True))
    assert text == b"".join(t.params for t in commands(whole, text=True))
