"""A search's work budget (SPEC §11): an engine spends from it as it evaluates a query, and a
query that would overrun it is refused as too expensive.

Work is counted, never timed, so the same query on the same data is refused every time or
never, however loaded the machine is. What one unit stands for, and how many a search may
spend, is the engine's to say.
"""

from itmj_domain.search.errors import QueryTooExpensive

TOO_EXPENSIVE = (
    "evaluating it would take more work than one search may do; narrow it with rarer words, "
    "a smaller proximity (~N), fewer words in a phrase or fewer wildcard, fuzzy, range and "
    "regular-expression terms"
)


class WorkBudget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.spent)

    def spend(self, units: int) -> None:
        """Count ``units`` of work; raises ``QueryTooExpensive`` once more than the limit is
        spent, before the work is done when the caller spends first."""
        self.spent += units
        if self.spent > self.limit:
            raise QueryTooExpensive(TOO_EXPENSIVE)
