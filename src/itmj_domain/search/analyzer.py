"""Elasticsearch's ``standard`` analyzer: the standard tokenizer, then lowercasing.

No stop words (Elasticsearch's default ``stopwords: _none_``). Lowercasing is per code point,
like Java's ``Character.toLowerCase`` that Lucene's lower-case filter uses: no final-sigma rule,
and ``İ`` becomes a plain ``i``.
"""

from itmj_domain.search.tokenizer import ascii_tokens, token_spans


class _LowerTable(dict[int, str]):
    """Code point → its lowercase character; always one character, so offsets are kept."""

    def __missing__(self, code: int) -> str:
        lower = chr(code).lower()
        if len(lower) != 1:
            lower = lower[0]
        self[code] = lower
        return lower


_LOWER = _LowerTable()


def normalize(text: str) -> str:
    """Lowercase ``text`` without splitting it, as Elasticsearch normalizes multi-term queries."""
    if text.isascii():
        return text.lower()
    return text.translate(_LOWER)


def analyze(text: str) -> tuple[str, ...]:
    """The lowercased tokens of ``text``, in order; their index is their position."""
    lowered = normalize(text)
    if text.isascii():
        return tuple(ascii_tokens(lowered))
    return tuple(lowered[start:end] for start, end in token_spans(text))


def ascii_words(text: str) -> list[str] | None:
    """For ASCII ``text``, its lowercased words (split at whitespace), which analyze one by one
    to the text's tokens: ``analyze(text)`` is the tokens of each word in turn, since no token
    holds whitespace and what joins two letters or digits into one token is read from them
    alone. ``None`` for other text, which is analyzed whole: the general rules (UAX #29) are
    many, and are not shown to split alike at whitespace."""
    if not text.isascii():
        return None
    return text.lower().split()
