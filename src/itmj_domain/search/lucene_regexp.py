"""Lucene's regular expression syntax (``RegExp`` with all its flags), as ``/…/`` queries use it.

Matched against whole terms. ``.`` any character, ``?`` ``*`` ``+`` ``{n}`` ``{n,}`` ``{n,m}``
repeats, ``|`` union, ``&`` intersection, ``~`` complement, ``[…]`` and ``[^…]`` classes,
``"…"`` a literal string, ``()`` the empty string, ``#`` the empty language, ``@`` any string,
``<n-m>`` a decimal interval; ``\\`` makes the next character plain (Lucene 8 has no ``\\d``
classes: ``\\d`` is the letter d). The parser follows Lucene 8's, including its leniency (a
leading ``*`` or a stray ``)`` is a plain character) and its errors.
"""

from itmj_domain.search.regular_language import (
    EPSILON,
    MAX_CODE_POINT,
    Expressions,
    LanguageMatcher,
)

MAX_NESTING = 32
_MAX_INT = 2**31 - 1
_DIGITS = "0123456789"


class RegexpSyntaxError(ValueError):
    """The pattern is not a valid Lucene regular expression: ``expected`` at ``offset`` in it."""

    def __init__(self, expected: str, offset: int) -> None:
        super().__init__(f"expected {expected} at offset {offset}")
        self.expected = expected
        self.offset = offset


def compile_regexp(pattern: str) -> LanguageMatcher:
    """A matcher for the terms ``pattern`` wholly matches; ``RegexpSyntaxError`` if invalid."""
    expressions = Expressions()
    return LanguageMatcher(expressions, _Parser(pattern, expressions).parse())


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _complement_ranges(ranges: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    result = []
    next_low = 0
    for low, high in ranges:
        if low > next_low:
            result.append((next_low, low - 1))
        next_low = max(next_low, high + 1)
    if next_low <= MAX_CODE_POINT:
        result.append((next_low, MAX_CODE_POINT))
    return result


class _Parser:
    def __init__(self, pattern: str, expressions: Expressions) -> None:
        self._pattern = pattern
        self._position = 0
        self._depth = 0
        self._x = expressions

    def parse(self) -> int:
        if not self._pattern:
            return EPSILON
        expression = self._union()
        if self._more():
            raise self._error("an operator or the end of the expression")
        return expression

    def _error(self, expected: str, offset: int | None = None) -> RegexpSyntaxError:
        return RegexpSyntaxError(expected, self._position if offset is None else offset)

    def _more(self) -> bool:
        return self._position < len(self._pattern)

    def _peek(self, chars: str) -> bool:
        return self._more() and self._pattern[self._position] in chars

    def _match(self, char: str) -> bool:
        if self._peek(char):
            self._position += 1
            return True
        return False

    def _next(self) -> str:
        if not self._more():
            raise self._error("a character")
        char = self._pattern[self._position]
        self._position += 1
        return char

    def _union(self) -> int:
        parts = [self._intersection()]
        while self._match("|"):
            parts.append(self._intersection())
        return self._x.union(*parts)

    def _intersection(self) -> int:
        parts = [self._concatenation()]
        while self._match("&"):
            parts.append(self._concatenation())
        return self._x.intersection(*parts)

    def _concatenation(self) -> int:
        parts = [self._repeat()]
        while self._more() and not self._peek(")|&"):
            parts.append(self._repeat())
        return self._x.concat(*parts)

    def _repeat(self) -> int:
        expression = self._complement()
        while self._peek("?*+{"):
            if self._match("?"):
                expression = self._x.repeat(expression, 0, 1)
            elif self._match("*"):
                expression = self._x.repeat(expression, 0, None)
            elif self._match("+"):
                expression = self._x.repeat(expression, 1, None)
            else:
                self._match("{")
                low = self._integer()
                high: int | None = low
                if self._match(","):
                    high = self._integer() if self._peek(_DIGITS) else None
                if not self._match("}"):
                    raise self._error("'}' to close the repetition")
                expression = self._x.repeat(expression, low, high)
        return expression

    def _integer(self) -> int:
        start = self._position
        while self._peek(_DIGITS):
            self._position += 1
        if start == self._position:
            raise self._error("a repetition count")
        value = int(self._pattern[start : self._position])
        if value > _MAX_INT:
            raise self._error("a repetition count below 2,147,483,648")
        return value

    def _complement(self) -> int:
        negations = 0
        while self._match("~"):
            negations += 1
        expression = self._char_class_or_simple()
        for _ in range(negations):
            expression = self._x.complement(expression)
        return expression

    def _char_class_or_simple(self) -> int:
        if not self._match("["):
            return self._simple()
        negate = self._match("^")
        ranges = list(self._class_item())
        while self._more() and not self._peek("]"):
            ranges.extend(self._class_item())
        if not self._match("]"):
            raise self._error("']' to close the character class")
        if negate:
            ranges = _complement_ranges(tuple(sorted(ranges)))
        return self._x.char_set(ranges)

    def _class_item(self) -> list[tuple[int, int]]:
        low = ord(self._char())
        if not self._match("-"):
            return [(low, low)]
        high = ord(self._char())
        if low > high:
            raise self._error("a character range whose start is not after its end")
        return [(low, high)]

    def _char(self) -> str:
        self._match("\\")
        return self._next()

    def _simple(self) -> int:
        if self._match("."):
            return self._x.any_char()
        if self._match("#"):
            return self._x.union()
        if self._match("@"):
            return self._x.repeat(self._x.any_char(), 0, None)
        if self._match('"'):
            end = self._pattern.find('"', self._position)
            if end < 0:
                self._position = len(self._pattern)
                raise self._error("'\"' to close the string")
            text = self._pattern[self._position : end]
            self._position = end + 1
            return self._x.string(text)
        if self._match("("):
            return self._group()
        if self._match("<"):
            return self._interval()
        char = ord(self._char())
        return self._x.char_set([(char, char)])

    def _group(self) -> int:
        if self._match(")"):
            return EPSILON
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise self._error(f"at most {MAX_NESTING} nested groups", self._position - 1)
        expression = self._union()
        self._depth -= 1
        if not self._match(")"):
            raise self._error("')' to close the group")
        return expression

    def _interval(self) -> int:
        end = self._pattern.find(">", self._position)
        if end < 0:
            self._position = len(self._pattern)
            raise self._error("'>' to close the interval")
        body = self._pattern[self._position : end]
        self._position = end + 1
        low_text, dash, high_text = body.partition("-")
        if not dash:
            raise self._error("an interval such as <1-100> (named automata do not exist)")
        if not (_is_number(low_text) and _is_number(high_text)):
            raise self._error("an interval such as <1-100>")
        low, high = sorted((int(low_text), int(high_text)))
        if high > _MAX_INT:
            raise self._error("an interval such as <1-100>")
        digits = len(low_text) if len(low_text) == len(high_text) else 0
        return self._x.decimal_interval(low, high, digits)
