"""Writing values back in query-string syntax so that parsing reads them back unchanged."""

from decimal import Decimal

# Lucene's QueryParser.escape set, plus whitespace: a backslash makes any of them plain text.
_SPECIAL = frozenset('\\+-!():^[]"{}~*?|&/ \t\n\r\u3000')
_RANGE_QUOTING = frozenset(" ]}\t\n\r\u3000")


def escape_text(text: str) -> str:
    """``text`` as one term of the query syntax, every syntax character escaped."""
    return "".join(f"\\{char}" if char in _SPECIAL else char for char in text)


def quote_phrase(words: tuple[str, ...]) -> str:
    """The words as one quoted phrase."""
    body = " ".join(words).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{body}"'


def range_bound(bound: str | None) -> str:
    """One end of a range: ``*`` when open, quoted when it holds a space or a closing bracket."""
    if bound is None:
        return "*"
    escaped = bound.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' if any(char in _RANGE_QUOTING for char in bound) else escaped


def boost_number(boost: float) -> str:
    """A boost as the query syntax writes numbers: digits, optionally a point and digits."""
    return format(Decimal(repr(boost)), "f")
