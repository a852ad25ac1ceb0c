"""Tokens of the query-string syntax, cut exactly as Lucene's classic QueryParser cuts them.

Lucene's token manager (JavaCC) takes the longest token at each position, the first declared
kind winning a tie, and has three states: after ``[`` or ``{`` it reads range bounds until the
closing bracket, after ``^`` it reads one number. Tokens are produced on demand so that an error
further on is reported only if the parser gets that far.
"""

import enum

import attrs

from itmj_domain.search.errors import InvalidQuery


class Kind(enum.Enum):
    """Token kinds, in Lucene's declaration order (the order that breaks ties)."""

    AND = enum.auto()
    OR = enum.auto()
    NOT = enum.auto()
    PLUS = enum.auto()
    MINUS = enum.auto()
    BAREOPER = enum.auto()
    LPAREN = enum.auto()
    RPAREN = enum.auto()
    COLON = enum.auto()
    STAR = enum.auto()
    CARAT = enum.auto()
    QUOTED = enum.auto()
    TERM = enum.auto()
    FUZZY_SLOP = enum.auto()
    PREFIXTERM = enum.auto()
    WILDTERM = enum.auto()
    REGEXPTERM = enum.auto()
    RANGEIN_START = enum.auto()
    RANGEEX_START = enum.auto()
    NUMBER = enum.auto()
    RANGE_TO = enum.auto()
    RANGEIN_END = enum.auto()
    RANGEEX_END = enum.auto()
    RANGE_QUOTED = enum.auto()
    RANGE_GOOP = enum.auto()
    EOF = enum.auto()


@attrs.frozen
class Token:
    kind: Kind
    image: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.image)


class _State(enum.Enum):
    DEFAULT = enum.auto()
    RANGE = enum.auto()
    BOOST = enum.auto()


_WHITESPACE = frozenset(" \t\n\r\u3000")
_NOT_TERM_START = _WHITESPACE | frozenset('+-!():^[]"{}~*?\\/')
_SINGLE = {
    "+": Kind.PLUS,
    "-": Kind.MINUS,
    "(": Kind.LPAREN,
    ")": Kind.RPAREN,
    ":": Kind.COLON,
    "*": Kind.STAR,
    "^": Kind.CARAT,
    "[": Kind.RANGEIN_START,
    "{": Kind.RANGEEX_START,
}
_KEYWORDS = (
    ("AND", Kind.AND),
    ("&&", Kind.AND),
    ("OR", Kind.OR),
    ("||", Kind.OR),
    ("NOT", Kind.NOT),
    ("!", Kind.NOT),
)
_NEXT_STATE = {
    Kind.CARAT: _State.BOOST,
    Kind.NUMBER: _State.DEFAULT,
    Kind.RANGEIN_START: _State.RANGE,
    Kind.RANGEEX_START: _State.RANGE,
    Kind.RANGEIN_END: _State.DEFAULT,
    Kind.RANGEEX_END: _State.DEFAULT,
}


class Lexer:
    def __init__(self, text: str) -> None:
        self._text = text
        self._position = 0
        self._state = _State.DEFAULT

    def next_token(self) -> Token:
        if self._state is _State.BOOST:
            token = self._number()
        else:
            self._skip_whitespace()
            if self._position >= len(self._text):
                token = Token(Kind.EOF, "", len(self._text))
            elif self._state is _State.RANGE:
                token = self._range_token()
            else:
                token = self._default_token()
        self._position = token.end
        self._state = _NEXT_STATE.get(token.kind, self._state)
        return token

    def _skip_whitespace(self) -> None:
        """Skip blanks; inside a range only a space always separates (Lucene's range bound
        stops at a space, so a tab followed by more text starts a bound)."""
        text, position = self._text, self._position
        while position < len(text) and text[position] in _WHITESPACE:
            if self._state is _State.RANGE and _goop_end(text, position) > position + 1:
                break
            position += 1
        self._position = position

    def _default_token(self) -> Token:
        text, start = self._text, self._position
        candidates = [(len(word), kind) for word, kind in _KEYWORDS if text.startswith(word, start)]
        char = text[start]
        if char in _SINGLE:
            candidates.append((1, _SINGLE[char]))
        if char in "+-!" and start + 1 < len(text) and text[start + 1] in _WHITESPACE:
            candidates.append((2, Kind.BAREOPER))
        term_end = _term_end(text, start)
        wild_end = _term_end(text, start, wildcards=True)
        for end, kind in (
            (_quoted_end(text, start), Kind.QUOTED),
            (term_end, Kind.TERM),
            (_fuzzy_slop_end(text, start), Kind.FUZZY_SLOP),
            (_prefix_end(text, start, term_end), Kind.PREFIXTERM),
            (wild_end, Kind.WILDTERM),
            (_regexp_end(text, start), Kind.REGEXPTERM),
        ):
            if end > start:
                candidates.append((end - start, kind))
        if not candidates:
            raise _lexical_error(text, start)
        length, kind = max(candidates, key=lambda candidate: (candidate[0], -candidate[1].value))
        return Token(kind, text[start : start + length], start)

    def _range_token(self) -> Token:
        text, start = self._text, self._position
        candidates = []
        if text.startswith("TO", start):
            candidates.append((2, Kind.RANGE_TO))
        if text[start] == "]":
            candidates.append((1, Kind.RANGEIN_END))
        if text[start] == "}":
            candidates.append((1, Kind.RANGEEX_END))
        for end, kind in (
            (_range_quoted_end(text, start), Kind.RANGE_QUOTED),
            (_goop_end(text, start), Kind.RANGE_GOOP),
        ):
            if end > start:
                candidates.append((end - start, kind))
        length, kind = max(candidates, key=lambda candidate: (candidate[0], -candidate[1].value))
        return Token(kind, text[start : start + length], start)

    def _number(self) -> Token:
        text, start = self._text, self._position
        if start >= len(text):
            return Token(Kind.EOF, "", start)
        end = _number_end(text, start)
        if end == start:
            raise InvalidQuery(
                f"Invalid query at position {start}: expected a number after '^' (a boost "
                f"such as ^2 or ^0.5), found {_describe_char(text[start])}",
                start,
            )
        return Token(Kind.NUMBER, text[start:end], start)


def _term_end(text: str, start: int, *, wildcards: bool = False, continued: bool = False) -> int:
    """End of a term (or, with ``wildcards``, of a term that may hold ``*`` and ``?``);
    ``continued`` when the characters go on a token already started, so may be ``-`` or ``+``."""
    position = start
    while position < len(text):
        char = text[position]
        if char == "\\":
            if position + 1 == len(text):
                break
            position += 2
        elif (
            char not in _NOT_TERM_START
            or ((continued or position > start) and char in "-+")
            or (wildcards and char in "*?")
        ):
            position += 1
        else:
            break
    return position


def _prefix_end(text: str, start: int, term_end: int) -> int:
    if term_end > start and term_end < len(text) and text[term_end] == "*":
        return term_end + 1
    return start


def _quoted_end(text: str, start: int) -> int:
    if text[start] != '"':
        return start
    position = start + 1
    while position < len(text):
        if text[position] == "\\":
            position += 2
        elif text[position] == '"':
            return position + 1
        else:
            position += 1
    return start


def _fuzzy_slop_end(text: str, start: int) -> int:
    """``~`` and any term characters after it: ``~2``, ``~0.5``, but also ``~x`` (read as ``~``)."""
    if text[start] != "~":
        return start
    return _term_end(text, start + 1, continued=True)


def _number_end(text: str, start: int) -> int:
    position = start
    while position < len(text) and text[position] in "0123456789":
        position += 1
    if position == start:
        return start
    if position + 1 < len(text) and text[position] == "." and text[position + 1] in "0123456789":
        position += 1
        while position < len(text) and text[position] in "0123456789":
            position += 1
    return position


def _regexp_end(text: str, start: int) -> int:
    """The longest ``/…/``: a slash inside must follow a backslash, any slash may close it."""
    if text[start] != "/":
        return start
    end = start
    for position in range(start + 1, len(text)):
        if text[position] == "/":
            end = position + 1
            if not (position - 1 > start and text[position - 1] == "\\"):
                break
    return end


def _range_quoted_end(text: str, start: int) -> int:
    """The longest ``"…"`` bound: not empty, a quote inside must follow a backslash."""
    if text[start] != '"':
        return start
    end = start
    for position in range(start + 1, len(text)):
        if text[position] == '"':
            if position > start + 1:
                end = position + 1
            if not (position - 1 > start and text[position - 1] == "\\"):
                break
    return end


def _goop_end(text: str, start: int) -> int:
    position = start
    while position < len(text) and text[position] not in " ]}":
        position += 1
    return position


def _describe_char(char: str) -> str:
    return "a space" if char in _WHITESPACE else f"'{char}'"


def _lexical_error(text: str, start: int) -> InvalidQuery:
    char = text[start]
    if char == '"':
        message = (
            f"Invalid query at position {len(text)}: expected a closing '\"' for the phrase "
            f"opened at position {start}, found the end of the query"
        )
        return InvalidQuery(message, len(text))
    if char == "/":
        message = (
            f"Invalid query at position {len(text)}: expected a closing '/' for the regular "
            f"expression opened at position {start} (write \\/ for a plain slash), found the "
            "end of the query"
        )
        return InvalidQuery(message, len(text))
    if char == "\\":
        message = (
            f"Invalid query at position {start}: expected a character after the escaping "
            "'\\', found the end of the query"
        )
        return InvalidQuery(message, start)
    message = (
        f"Invalid query at position {start}: expected a term, a phrase, an operator or a "
        f"parenthesis, found {_describe_char(char)} (escape it as \\{char} to search for it)"
    )
    return InvalidQuery(message, start)
