"""Backslash escapes in query text, undone as Lucene's ``discardEscapeChar`` does."""

import re
from collections.abc import Iterator

from itmj_domain.search.errors import invalid_query

_HEX4 = re.compile(r"[0-9a-fA-F]{4}")


def unescape(text: str, offset: int) -> str:
    """``text`` with ``\\x`` read as ``x`` and ``\\uXXXX`` as that UTF-16 code unit (a pair of
    them as one character); ``offset`` is where ``text`` starts in the query, for errors."""
    if "\\" not in text:
        return text
    units = "".join(_unescaped(text, offset))
    return units.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _unescaped(text: str, offset: int) -> Iterator[str]:
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            yield char
            index += 1
        elif index + 1 == len(text):
            raise invalid_query(
                offset + index, "a character after the escaping '\\'", "the end of the term"
            )
        elif text[index + 1] != "u":
            yield text[index + 1]
            index += 2
        else:
            digits = text[index + 2 : index + 6]
            if not _HEX4.fullmatch(digits):
                raise invalid_query(
                    offset + index, "four hexadecimal digits after '\\u'", f"'{digits}'"
                )
            yield chr(int(digits, 16))
            index += 6
