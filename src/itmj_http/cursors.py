"""Cursors: a list position as a partner carries it from one page to the next.

A cursor is opaque to partners: 34 URL-safe characters that encode a version, the position
(microseconds since the epoch and the row's id) and a check over those bytes and the list
they belong to. The check makes a cursor that was altered, cut short or taken from another
list (another job's applications, say) a clear 400 rather than a page from somewhere else.
It is not a secret and needs no key: every page is still read for the calling employer with
the filters of the request, so a cursor built by hand can only start a page of the caller's
own list at another place, which ``page`` allows anyway. Cursors do not expire.
"""

import base64
import binascii
import hashlib
import struct
from datetime import UTC, datetime, timedelta

from itmj_domain.pagination import Position

_VERSION = 1
_LAYOUT = struct.Struct(">Bqq")
_CHECK_BYTES = 8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
LENGTH = len(base64.urlsafe_b64encode(bytes(_LAYOUT.size + _CHECK_BYTES)).rstrip(b"="))


class InvalidCursor(ValueError):
    def __init__(self) -> None:
        super().__init__("cursor: not one this list gave out; start again without it")


def encode(position: Position, listing: str) -> str:
    """``listing`` names the list the position is in; only that list takes the cursor."""
    payload = _LAYOUT.pack(_VERSION, (position.at - _EPOCH) // _MICROSECOND, position.id)
    return _text(payload + _check(payload, listing))


def decode(text: str, listing: str) -> Position:
    if len(text) != LENGTH:
        raise InvalidCursor()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidCursor() from None
    payload, check = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
    # Written back, the bytes must give the very text: base64 has several spellings of
    # the last character, and only the one encode writes is a cursor.
    if _text(raw) != text or check != _check(payload, listing):
        raise InvalidCursor()
    version, micros, row_id = _LAYOUT.unpack(payload)
    if version != _VERSION or row_id < 1:
        raise InvalidCursor()
    try:
        return Position(_EPOCH + micros * _MICROSECOND, row_id)
    except OverflowError:
        raise InvalidCursor() from None


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _check(payload: bytes, listing: str) -> bytes:
    digest = hashlib.sha256(b"itmj-cursor\x00" + listing.encode() + b"\x00" + payload)
    return digest.digest()[:_CHECK_BYTES]
