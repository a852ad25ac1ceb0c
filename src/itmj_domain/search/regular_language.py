"""Regular languages as interned expressions, matched with Brzozowski derivatives.

Lucene's regular expressions have intersection (``&``) and complement (``~``), which Python's
``re`` cannot express; derivatives handle them like any other operator. Every expression is
interned as a small integer, so a set of expressions, the derivative of one by a character and
the resulting states of a match are cheap to compare and to memoize: matching a term is one
dictionary lookup per character once the states it needs have been built. A state is an
expression id; the start state is the expression itself.
"""

from typing import Any

MAX_CODE_POINT = 0x10FFFF
EMPTY = 0
EPSILON = 1


class Expressions:
    """A table of interned expressions with their derivatives, built lazily."""

    def __init__(self) -> None:
        self._nodes: list[tuple[Any, ...]] = [("empty",), ("epsilon",)]
        self._ids: dict[tuple[Any, ...], int] = {
            node: index for index, node in enumerate(self._nodes)
        }
        self._nullable: dict[int, bool] = {EMPTY: False, EPSILON: True}
        self._derivatives: dict[tuple[int, str], int] = {}

    def _intern(self, node: tuple[Any, ...]) -> int:
        found = self._ids.get(node)
        if found is None:
            found = len(self._nodes)
            self._nodes.append(node)
            self._ids[node] = found
        return found

    def char_set(self, ranges: list[tuple[int, int]]) -> int:
        """Any one character within the inclusive code point ranges."""
        merged: list[tuple[int, int]] = []
        for low, high in sorted(ranges):
            if merged and low <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], high))
            else:
                merged.append((low, high))
        return self._intern(("set", tuple(merged))) if merged else EMPTY

    def any_char(self) -> int:
        return self.char_set([(0, MAX_CODE_POINT)])

    def string(self, text: str) -> int:
        return self.concat(*(self.char_set([(ord(char), ord(char))]) for char in text))

    def concat(self, *parts: int) -> int:
        items: list[int] = []
        for part in parts:
            if part == EMPTY:
                return EMPTY
            node = self._nodes[part]
            if node[0] == "concat":
                items.extend(node[1])
            elif part != EPSILON:
                items.append(part)
        if not items:
            return EPSILON
        return items[0] if len(items) == 1 else self._intern(("concat", tuple(items)))

    def union(self, *parts: int) -> int:
        members = self._flatten("union", parts) - {EMPTY}
        if not members:
            return EMPTY
        return next(iter(members)) if len(members) == 1 else self._intern(("union", members))

    def intersection(self, *parts: int) -> int:
        members = self._flatten("intersection", parts)
        if EMPTY in members:
            return EMPTY
        if len(members) == 1:
            return next(iter(members))
        return self._intern(("intersection", members))

    def _flatten(self, kind: str, parts: tuple[int, ...]) -> frozenset[int]:
        members: set[int] = set()
        for part in parts:
            node = self._nodes[part]
            if node[0] == kind:
                members.update(node[1])
            else:
                members.add(part)
        return frozenset(members)

    def complement(self, part: int) -> int:
        node = self._nodes[part]
        return node[1] if node[0] == "complement" else self._intern(("complement", part))

    def repeat(self, part: int, low: int, high: int | None) -> int:
        """``part`` repeated ``low`` to ``high`` times (``None``: no upper limit)."""
        if high is not None and low > high:
            return EMPTY
        if high == 0 or part == EPSILON:
            return EPSILON
        if part == EMPTY:
            return EPSILON if low == 0 else EMPTY
        if (low, high) == (1, 1):
            return part
        return self._intern(("repeat", part, low, high))

    def decimal_interval(self, low: int, high: int, digits: int) -> int:
        """Decimal numbers from ``low`` to ``high``: exactly ``digits`` digits (zero-padded),
        or with ``digits == 0`` any number of leading zeros."""
        return self._intern(("interval", low, high, digits, 0, 0))

    def nullable(self, expression: int) -> bool:
        """Whether the empty string belongs to the language."""
        known = self._nullable.get(expression)
        if known is None:
            known = self._compute_nullable(self._nodes[expression])
            self._nullable[expression] = known
        return known

    def _compute_nullable(self, node: tuple[Any, ...]) -> bool:
        kind = node[0]
        if kind == "set":
            return False
        if kind == "concat":
            return all(self.nullable(item) for item in node[1])
        if kind == "union":
            return any(self.nullable(member) for member in node[1])
        if kind == "intersection":
            return all(self.nullable(member) for member in node[1])
        if kind == "complement":
            return not self.nullable(node[1])
        if kind == "repeat":
            return node[2] == 0 or self.nullable(node[1])
        _, low, high, digits, value, length = node
        return length > 0 and low <= value <= high and digits in (0, length)

    def derivative(self, expression: int, char: str) -> int:
        """The expression matching the rest of every string that starts with ``char``."""
        key = (expression, char)
        known = self._derivatives.get(key)
        if known is None:
            known = self._compute_derivative(self._nodes[expression], char)
            self._derivatives[key] = known
        return known

    def _compute_derivative(self, node: tuple[Any, ...], char: str) -> int:
        kind = node[0]
        if kind in ("empty", "epsilon"):
            return EMPTY
        if kind == "set":
            code = ord(char)
            return EPSILON if any(low <= code <= high for low, high in node[1]) else EMPTY
        if kind == "concat":
            return self._concat_derivative(node[1], char)
        if kind == "union":
            return self.union(*(self.derivative(member, char) for member in node[1]))
        if kind == "intersection":
            return self.intersection(*(self.derivative(member, char) for member in node[1]))
        if kind == "complement":
            return self.complement(self.derivative(node[1], char))
        if kind == "repeat":
            _, part, low, high = node
            rest = self.repeat(part, max(low - 1, 0), None if high is None else high - 1)
            return self.concat(self.derivative(part, char), rest)
        return self._interval_derivative(node, char)

    def _concat_derivative(self, items: tuple[int, ...], char: str) -> int:
        branches = []
        for index, item in enumerate(items):
            branches.append(self.concat(self.derivative(item, char), *items[index + 1 :]))
            if not self.nullable(item):
                break
        return self.union(*branches)

    def _interval_derivative(self, node: tuple[Any, ...], char: str) -> int:
        _, low, high, digits, value, length = node
        if char not in "0123456789":
            return EMPTY
        value, length = value * 10 + int(char), length + 1
        if digits == 0:
            if value > high:
                return EMPTY
            length = 1
        else:
            remaining = digits - length
            if remaining < 0:
                return EMPTY
            scale = 10**remaining
            if value * scale > high or value * scale + scale - 1 < low:
                return EMPTY
        return self._intern(("interval", low, high, digits, value, length))


class LanguageMatcher:
    """Runs an expression over terms: ``start`` → ``step`` per character → ``accepts``.

    An index walking a sorted term dictionary can stop descending where ``is_dead`` is true.
    """

    def __init__(self, expressions: Expressions, start: int) -> None:
        self._expressions = expressions
        self.start = start

    def step(self, state: int, char: str) -> int:
        return self._expressions.derivative(state, char)

    def accepts(self, state: int) -> bool:
        return self._expressions.nullable(state)

    def is_dead(self, state: int) -> bool:
        return state == EMPTY

    def matches(self, term: str) -> bool:
        state = self.start
        derivative = self._expressions.derivative
        for char in term:
            state = derivative(state, char)
            if state == EMPTY:
                return False
        return self._expressions.nullable(state)
