"""What the in-memory engine counts as work, and how much of it one search may do (SPEC §11).

A unit is about what searching one short field of one candidate in C costs (a substring count
or a regular expression over a few dozen terms: 0.1 to 0.2 µs on the benchmark machine). Steps
taken in Python are priced in those units from measurements (``bench/search --adversarial``).
Only work that grows with the data or with what a query asks is counted: set operations on
whole bitsets cost microseconds whatever the query, and a query holds at most 64 clauses.

The budget keeps every query it lets through well under 250 ms of evaluation at 100,000
candidates on the benchmark machine, and lets through every query of the benchmark and the
tests but the adversarial ones.
"""

from collections.abc import Sequence

from itmj_adapters.search.postings import Postings
from itmj_domain.search.tree import Fuzzy, Prefix, Range, Regexp, Wildcard

WORK_BUDGET = 700_000
# A field searched in C: one unit, and one more per this many of its terms.
_TERMS_PER_UNIT = 16
# A field checked for a phrase in Python, besides the steps of ``PhraseMatcher`` (a unit each).
VALUE_CHECK = 30
# What a multi-term query's enumeration of the term dictionary costs per thing it examines:
# an entry listed (prefix, range), an entry matched against a wildcard's pattern, an entry or
# character an automaton steps through (fuzzy, regular expression). Then each term it found,
# per field it is looked up in.
EXAMINING: dict[type, int] = {Prefix: 1, Range: 1, Wildcard: 5, Fuzzy: 4, Regexp: 4}
TERM_FOUND = 1
# A term's or pair's holders joined into a set, and a unit per this many of a rare one's ids.
_POSTINGS = 15
_IDS_PER_UNIT = 4
# Looking up a pair of adjacent terms in a field's map of them.
LOOKUP = 1
# Ranking: a part of the matches refined, and per component it still has to apply; a member
# scored one by one, per component it meets; an operation on whole sets.
REFINING = 2
MEMBER_SCORED = 6
SET_OPERATION = 10
# Renumbering the matches (``renumbering``): per match, reading its id and, per component and
# per field the components read, its byte; a unit per this many such reads.
_READS_PER_UNIT = 4


def renumbering(matches: int, components: int) -> int:
    return matches * (1 + 2 * components) // _READS_PER_UNIT


def scan(texts: int, terms: int) -> int:
    """Searching ``texts`` texts in C, holding ``terms`` terms in all."""
    return texts + terms // _TERMS_PER_UNIT


def joining(postings: Sequence[Postings]) -> int:
    """Joining ``postings`` into one set (or into a set they are intersected with)."""
    return len(postings) * _POSTINGS + sum(
        each.count // _IDS_PER_UNIT for each in postings if each.dense_bits() is None
    )
