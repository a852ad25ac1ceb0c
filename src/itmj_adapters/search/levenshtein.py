"""A Levenshtein automaton, built lazily: the terms within ``max_edits`` of a text.

Edits are insertions, deletions, substitutions and transpositions of two adjacent characters
(optimal string alignment), exactly as ``itmj_domain.search.fuzzy.within_edits`` counts them.
A state is a row of the edit-distance table capped at ``max_edits + 1``, with its depth (only
the cells within ``max_edits`` of the diagonal can be below the cap) and what a transposition
needs: the row before and the last character. Characters that do not occur in the text all
step alike, so they share one transition. Each step is computed once and then looked up. It
steps like the domain's regular expression matcher, so one dictionary walk serves both.
"""

DEAD = -1
_OTHER = ""


class LevenshteinAutomaton:
    def __init__(self, text: str, max_edits: int) -> None:
        self._text = text
        self._edits = max_edits
        self._limit = max_edits + 1
        self._in_text = frozenset(text)
        self._states: list[tuple[int, tuple[int, ...], tuple[int, ...] | None, str]] = []
        self._ids: dict[tuple, int] = {}
        self._steps: dict[tuple[int, str], int] = {}
        first_row = tuple(min(column, self._limit) for column in range(len(text) + 1))
        self.start = self._intern((0, first_row, None, _OTHER))

    def _intern(self, state: tuple) -> int:
        found = self._ids.get(state)
        if found is None:
            found = len(self._states)
            self._states.append(state)
            self._ids[state] = found
        return found

    def step(self, state: int, char: str) -> int:
        key = (state, char if char in self._in_text else _OTHER)
        found = self._steps.get(key)
        if found is None:
            found = self._compute(state, key[1])
            self._steps[key] = found
        return found

    def _compute(self, state: int, char: str) -> int:
        depth, row, before, last = self._states[state]
        text = self._text
        limit = self._limit
        depth += 1
        row_next = [limit] * len(row)
        row_next[0] = min(depth, limit)
        for column in range(max(1, depth - self._edits), min(len(text), depth + self._edits) + 1):
            cost = 0 if text[column - 1] == char else 1
            best = min(row[column] + 1, row_next[column - 1] + 1, row[column - 1] + cost)
            if (
                before is not None
                and column > 1
                and text[column - 2] == char
                and text[column - 1] == last
            ):
                best = min(best, before[column - 2] + 1)
            row_next[column] = min(best, limit)
        if min(row_next) >= limit:
            return DEAD
        keep = char != _OTHER
        return self._intern((depth, tuple(row_next), row if keep else None, char))

    def accepts(self, state: int) -> bool:
        return self._states[state][1][-1] < self._limit

    @staticmethod
    def is_dead(state: int) -> bool:
        return state == DEAD
