"""Reading candidates as JSON Lines: one object per line, read lazily, each line on its own.

A line is read as the API reads a body: camelCase names, strict types, a timestamp with its
zone, no unknown field. A line that does not read becomes a ``Rejection`` naming why, and the
next line is read all the same. Blank lines are skipped. A line longer than ``MAX_LINE_BYTES``
is rejected without being held in memory.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import cattrs

from itmj_adapters.json_style import camel_text
from itmj_domain.candidates import CandidateProfile
from itmj_domain.errors import InvalidInput
from itmj_domain.services.candidates import ImportLine, Rejection
from itmj_http.json_converter import InvalidJson, make_converter, structure

MAX_LINE_BYTES = 1024 * 1024


def read_lines(
    stream: BinaryIO, progress: Callable[[int], None] | None = None
) -> Iterator[ImportLine | Rejection]:
    """The entries of ``stream``, one per non-blank line; ``progress`` hears the number of
    bytes each line took."""
    converter = make_converter()
    number = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        consumed = len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            consumed += _skip_rest_of_line(stream)
            entry: ImportLine | Rejection | None = Rejection(
                number, f"line longer than {MAX_LINE_BYTES} bytes"
            )
        else:
            entry = _entry(converter, number, raw)
        if progress is not None:
            progress(consumed)
        if entry is not None:
            yield entry


def read_records(records: Iterable[object]) -> Iterator[ImportLine | Rejection]:
    """Entries from records already decoded from JSON, numbered from 1 as lines would be."""
    converter = make_converter()
    for number, record in enumerate(records, start=1):
        yield _profile(converter, number, record)


def _entry(converter: cattrs.Converter, number: int, raw: bytes) -> ImportLine | Rejection | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Rejection(number, "not UTF-8 text")
    if not text.strip():
        return None
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):
        return Rejection(number, "malformed JSON")
    return _profile(converter, number, record)


def _profile(converter: cattrs.Converter, number: int, record: object) -> ImportLine | Rejection:
    if not isinstance(record, dict):
        return Rejection(number, "expected a JSON object")
    try:
        return ImportLine(number, structure(converter, record, CandidateProfile))
    except InvalidJson as error:
        return Rejection(number, error.message)
    except InvalidInput as error:
        return Rejection(number, camel_text(error.message))


def _skip_rest_of_line(stream: BinaryIO) -> int:
    skipped = 0
    while chunk := stream.readline(MAX_LINE_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped
