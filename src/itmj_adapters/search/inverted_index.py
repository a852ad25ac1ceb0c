"""The index itself: postings per field and term, what BM25 needs per field, the candidates'
term strings (``documents``) and the filters' sets.

Every pair of adjacent terms within a value is indexed too, in every field, as a term is:
an exact phrase is then found from its pairs' holders, not by scanning the texts of everyone
holding its words (``phrases``), and what a search costs does not depend on what searches ran
before it. So is every triple of adjacent terms whose middle term is ``JOINING_WORD``: a
phrase such as "testing and commissioning" is then a lookup too. Its inner word comes several
times in most fields holding it, which leaves the pairs unchained (``phrases``), and tens of
thousands of texts would be searched for it at a million candidates, where a lookup costs
microseconds (and the triples some 14 MB there).

Writes are staged and applied per batch (``staging``): a common term's or pair's set is
rewritten once per batch, not once per candidate, which is what keeps a bulk load fast. Not
thread-safe by itself; the adapter's lock keeps writers apart from readers.

What searches read per candidate is held flat, never as an object per candidate: the texts of
a batch are one string (a segment), and arrays say in which segment and where each candidate's
fields lie. A process forked from the one that filled the index (gunicorn's workers) shares
its pages, and reading an object writes its reference count, which would copy the page
holding it: searches over many candidates would copy the index, worker by worker. A text
replaced or removed stays in its segment until the segments hold more such garbage than live
text, or grow too many; they are then written anew.
"""

import operator
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import accumulate, chain, compress, repeat
from operator import attrgetter
from typing import Any

from itmj_adapters.search import bitsets
from itmj_adapters.search.collector import collector_paused
from itmj_adapters.search.documents import (
    BOUNDS,
    FIELD_NUMBER,
    FIELDS,
    VALUE_SEPARATOR,
    encode_all,
)
from itmj_adapters.search.gathering import gathered
from itmj_adapters.search.norms import length_norms
from itmj_adapters.search.postings import PairPostings, Postings
from itmj_adapters.search.staging import (
    Batch,
    WrittenField,
    append_each,
    regroup,
    store_each,
    triples_around,
)
from itmj_adapters.search.term_dictionary import TermDictionary
from itmj_adapters.search.term_encoding import TermEncoder
from itmj_domain.ports import IndexedCandidate, SearchFilters
from itmj_domain.search import SearchDocument, SearchField

DAY_SECONDS = 24 * 3600
WEEK_SECONDS = 7 * DAY_SECONDS
_LIVE = ("live",)
_EXISTS = ("exists",)
_COUNTRY = ("country",)
_WEEK = ("week",)
_GROWTH = 1024
# Segments are rewritten with this many candidates each, and once there are this many more
# segments than that makes.
_SEGMENT_CANDIDATES = 1000
_SPARE_SEGMENTS = 1024
_WEEKS_SPLIT = 16
# The word that joins the halves of so many skills and duties ("oil and gas", "health and
# safety") and comes several times in one field more often than any other.
JOINING_WORD = "and"
# Summaries are nearly all distinct; the other fields repeat a lot (titles, skills, places).
_REPEATING_FIELDS = frozenset(FIELD_NUMBER[field] for field in FIELDS) - {
    FIELD_NUMBER[SearchField.SUMMARY]
}


def _adjacent(values: Iterable[str]) -> set[str]:
    """The pairs of adjacent terms within the values (each as two term characters)."""
    return {pair for value in values for pair in map(operator.add, value, value[1:])}


def _triples(text: str, middle: str | None) -> set[str]:
    """The triples of adjacent terms within the values of ``text`` (joined by
    ``VALUE_SEPARATOR``) around ``middle`` (a term character, ``None`` for none)."""
    if middle is None or middle not in text:
        return set()
    return set(triples_around(middle).findall(text))


class InvertedIndex:
    def __init__(self) -> None:
        self.terms = TermDictionary()
        self.postings: tuple[dict[int, Postings], ...] = tuple({} for _ in FIELDS)
        # The holders of each pair of adjacent terms (within a value), keyed by the two term
        # characters.
        self.pairs: tuple[dict[str, PairPostings], ...] = tuple({} for _ in FIELDS)
        # The holders of each triple of adjacent terms (within a value) around the joining
        # word, keyed by the three term characters.
        self.triples: tuple[dict[str, PairPostings], ...] = tuple({} for _ in FIELDS)
        self.segments: list[str] = []
        # segment_of[candidate]: the segment holding its text, -1 for none; bounds[i][candidate]:
        # where field i starts there (see documents). The segments' length, and how much of it
        # is the texts of candidates replaced or removed since.
        self.segment_of = array("i")
        self.bounds = tuple(array("I") for _ in range(BOUNDS))
        self._text_length = 0
        self._garbage = 0
        self.norms = tuple(bytearray() for _ in FIELDS)
        self.lengths = tuple(array("I") for _ in FIELDS)
        self.doc_count = [0] * len(FIELDS)
        self.length_sum = [0] * len(FIELDS)
        self.count = 0
        # Families of sets: LIVE (one set), EXISTS by field, ("norm", field) by norm byte,
        # COUNTRY by preferred country id, WEEK by week number of the last activity.
        self.sets: defaultdict[tuple, dict[Any, int]] = defaultdict(dict)
        self._preferred: list[tuple[int, ...]] = []
        self._active = array("d")
        self._days: dict[int, dict[int, int]] = {}
        self._encoder = TermEncoder(self.terms)

    @property
    def live(self) -> int:
        return self.sets[_LIVE].get(None, 0)

    def norm_classes(self, field: int) -> dict[int, int]:
        """Norm byte → the candidates with that many tokens in the field (none for no text)."""
        return self.sets["norm", field]

    def exists(self, field: int | None) -> int:
        if field is None:
            return bitsets.union(self.sets[_EXISTS].values())
        return self.sets[_EXISTS].get(field, 0)

    def span(self, candidate_id: int, number: int) -> tuple[int, int]:
        """Where field ``number`` lies in the candidate's segment."""
        return self.bounds[number][candidate_id], self.bounds[number + 1][candidate_id] - 1

    def texts(self, candidates: Sequence[int]) -> Sequence[str]:
        """The segment holding each candidate's text (each must be live)."""
        return gathered(self.segments, gathered(self.segment_of, candidates))

    def starts(self, candidates: Sequence[int], field: int) -> Sequence[int]:
        """Where each candidate's field starts in its segment."""
        return gathered(self.bounds[field], candidates)

    def field_text(self, candidate_id: int, number: int) -> str:
        start, end = self.span(candidate_id, number)
        return self.segments[self.segment_of[candidate_id]][start:end]

    def _live(self, candidate_id: int) -> bool:
        return 0 <= candidate_id < len(self.segment_of) and self.segment_of[candidate_id] >= 0

    def pair_postings(self, field: int, pair: str) -> PairPostings | None:
        """The holders of two adjacent terms, given as their two term characters."""
        return self.pairs[field].get(pair)

    def joining(self) -> str | None:
        """The term character of ``JOINING_WORD``, ``None`` while no field holds it."""
        term_id = self.terms.id_of(JOINING_WORD)
        return None if term_id is None else chr(term_id)

    def triple_postings(self, field: int, triple: str) -> PairPostings | None:
        """The holders of three adjacent terms around the joining word, given as their three
        term characters."""
        return self.triples[field].get(triple)

    def settle(self) -> None:
        """Work out now each term's, pair's and triple's frequency sets, which searches
        otherwise work out the first time they need them. Working them out reads every entry of the
        postings' frequencies, and reading an object writes its reference count: in a
        worker forked from the process that filled the index, that copies every page holding
        one, worker by worker (``Postings.frequencies``)."""
        families: list[Mapping[Any, Postings]] = [*self.postings, *self.pairs, *self.triples]
        for family in families:
            for postings in family.values():
                postings.frequencies()

    def counts(self, candidates: Sequence[int], field: int, needle: str) -> list[int]:
        """How often each candidate's field holds ``needle`` (term characters), occurrences
        that overlap included, as Lucene counts a phrase (and the pairs count themselves); the
        loop runs in C: the field's start and end, then the count, per candidate. Occurrences
        of a needle can only overlap where it starts as it ends ("a b a"), which ``str.count``
        would count once: only those are searched for at every position."""
        texts = self.texts(candidates)
        starts = self.starts(candidates, field)
        ends = self.search_ends(candidates, field)
        if not any(needle[:size] == needle[-size:] for size in range(1, len(needle))):
            return list(map(str.count, texts, repeat(needle), starts, ends))
        every_start = re.compile(f"(?={re.escape(needle)})")
        return list(map(len, map(every_start.findall, texts, starts, ends)))

    def search_ends(self, candidates: Sequence[int], field: int) -> Iterable[int]:
        """Where a search of each candidate's field may stop: past the separator after it,
        which no term nor phrase holds (a step less per candidate), but in the last field,
        which no separator follows."""
        ends = gathered(self.bounds[field + 1], candidates)
        if field + 2 < len(self.bounds):
            return ends
        return map(operator.sub, ends, repeat(1))

    def terms_held(self, candidates: Sequence[int], field: int) -> int:
        """How many terms the candidates' fields hold in all."""
        return sum(gathered(self.lengths[field], candidates))

    def term_postings(self, field: int, term: str) -> Postings | None:
        term_id = self.terms.id_of(term)
        return None if term_id is None else self.postings[field].get(term_id)

    def replace(self, candidates: Sequence[IndexedCandidate]) -> None:
        """Index the candidates, replacing what was indexed under their ids (the last one
        wins when an id is given twice)."""
        latest = {candidate.id: candidate for candidate in candidates}
        if any(candidate_id < 0 for candidate_id in latest):
            raise ValueError("candidate ids are not negative")
        with collector_paused():
            batch = Batch()
            if latest:
                ids = sorted(latest)
                self._grow(ids[-1])
                for candidate_id in filter(self._live, ids):
                    self._take_out(candidate_id, batch)
                self._put_in([latest[candidate_id] for candidate_id in ids], batch)
            self._apply(batch)

    def remove(self, candidate_ids: Iterable[int]) -> None:
        with collector_paused():
            batch = Batch()
            for candidate_id in set(candidate_ids):
                if self._live(candidate_id):
                    self._take_out(candidate_id, batch)
            self._apply(batch)

    def _grow(self, candidate_id: int) -> None:
        missing = candidate_id + 1 - len(self.segment_of)
        if missing <= 0:
            return
        missing += _GROWTH
        self.segment_of.extend([-1] * missing)
        for bounds in self.bounds:
            bounds.extend([0] * missing)
        self._preferred.extend([()] * missing)
        self._active.extend([0.0] * missing)
        for norms, lengths in zip(self.norms, self.lengths, strict=True):
            norms.extend(bytes(missing))
            lengths.extend([0] * missing)

    def _written(self, documents: Sequence[SearchDocument], number: int) -> WrittenField:
        """Field ``number`` of the documents as term characters."""
        field = FIELDS[number]
        repeating = number in _REPEATING_FIELDS
        if field is SearchField.SKILLS:
            values = [document.skills for document in documents]
            flat = self._encoder.encode(list(chain.from_iterable(values)), repeating)
            encoded = regroup(flat, list(map(len, values)))
            return WrittenField(
                texts=list(map(VALUE_SEPARATOR.join, encoded)),
                joined=list(map("".join, encoded)),
                present=list(map(bool, values)),
            )
        given = list(map(attrgetter(field.value), documents))
        texts = self._encoder.encode(["" if value is None else value for value in given], repeating)
        return WrittenField(
            texts=texts,
            joined=texts,
            present=list(map(operator.is_not, given, repeat(None))),
        )

    def _put_in(self, candidates: Sequence[IndexedCandidate], batch: Batch) -> None:
        """Index the candidates (ids ascending, none of them live): field by field over them
        all, each step looped in C (see ``staging``)."""
        ids = [candidate.id for candidate in candidates]
        documents = [candidate.document for candidate in candidates]
        field_texts = []
        for number in range(len(FIELDS)):
            written = self._written(documents, number)
            field_texts.append(written.texts)
            self._put_in_field(number, ids, written, batch)
        texts, bounds = encode_all(field_texts)
        starts = list(accumulate(map(len, texts), initial=batch.length))
        store_each(self.segment_of, ids, repeat(len(self.segments)))
        for each, relative in zip(self.bounds, bounds, strict=True):
            store_each(each, ids, map(operator.add, starts, relative))
        batch.texts.extend(texts)
        batch.length = starts[-1]
        preferred = [tuple(sorted(candidate.preferred_country_ids)) for candidate in candidates]
        store_each(self._preferred, ids, preferred)
        append_each(
            batch.sets.added,
            zip(repeat(_COUNTRY), chain.from_iterable(preferred)),
            chain.from_iterable(map(repeat, ids, map(len, preferred))),
        )
        active = [candidate.last_active_at.timestamp() for candidate in candidates]
        store_each(self._active, ids, active)
        weeks = list(map(int, map(operator.floordiv, active, repeat(WEEK_SECONDS))))
        append_each(batch.sets.added, zip(repeat(_WEEK), weeks), ids)
        for week in set(weeks):
            self._days.pop(week, None)
        batch.sets.added[_LIVE, None].extend(ids)
        self.count += len(ids)

    def _put_in_field(
        self, number: int, ids: Sequence[int], written: WrittenField, batch: Batch
    ) -> None:
        """Field ``number`` of the candidates ``ids``, as ``written``."""
        holders = list(compress(ids, written.present))
        if not holders:
            return
        batch.sets.added[_EXISTS, number].extend(holders)
        joined = list(compress(written.joined, written.present))
        batch.add_terms(number, holders, joined)
        texts = list(compress(written.texts, written.present))
        batch.add_pairs(number, holders, texts)
        middle = self.joining()
        if middle is not None:
            batch.add_triples(number, holders, texts, middle)
        lengths = list(map(len, joined))
        store_each(self.lengths[number], holders, lengths)
        counted = list(compress(holders, lengths))
        norms = length_norms(filter(None, lengths))
        store_each(self.norms[number], counted, norms)
        self.doc_count[number] += len(counted)
        self.length_sum[number] += sum(lengths)
        append_each(batch.sets.added, zip(repeat(("norm", number)), norms), counted)

    def _take_out(self, candidate_id: int, batch: Batch) -> None:
        middle = self.joining()
        for number in range(len(FIELDS)):
            text = self.field_text(candidate_id, number)
            values = text.split(VALUE_SEPARATOR)
            batch.terms.remove(number, candidate_id, set("".join(values)))
            batch.pairs.remove(number, candidate_id, _adjacent(values))
            batch.triples.remove(number, candidate_id, _triples(text, middle))
            batch.sets.removed[_EXISTS, number].append(candidate_id)
            length = self.lengths[number][candidate_id]
            if length:
                norm = self.norms[number][candidate_id]
                self.doc_count[number] -= 1
                self.length_sum[number] -= length
                batch.sets.removed[("norm", number), norm].append(candidate_id)
                self.norms[number][candidate_id] = 0
                self.lengths[number][candidate_id] = 0
        for country_id in self._preferred[candidate_id]:
            batch.sets.removed[_COUNTRY, country_id].append(candidate_id)
        self._preferred[candidate_id] = ()
        week = int(self._active[candidate_id] // WEEK_SECONDS)
        batch.sets.removed[_WEEK, week].append(candidate_id)
        self._days.pop(week, None)
        batch.sets.removed[_LIVE, None].append(candidate_id)
        self._garbage += self.bounds[-1][candidate_id] - self.bounds[0][candidate_id] - 1
        self.segment_of[candidate_id] = -1
        self.count -= 1

    def _apply(self, batch: Batch) -> None:
        unused = []
        for number in range(len(FIELDS)):
            terms = self.postings[number]
            for key in batch.terms.keys(number):
                term_id = ord(key)
                postings = terms.get(term_id)
                if postings is None:
                    postings = terms[term_id] = Postings()
                    self.terms.use(term_id)
                batch.terms.change(postings, number, key)
                if not postings.count:
                    del terms[term_id]
                    self.terms.unuse(term_id)
                    unused.append(term_id)
            # A pair or triple dies with its last holder, so none outlives its terms (whose
            # ids are reused once they die).
            kept = ((batch.pairs, self.pairs[number]), (batch.triples, self.triples[number]))
            for changes, runs in kept:
                for key in changes.keys(number):
                    run = runs.get(key)
                    if run is None:
                        run = runs[key] = PairPostings()
                    changes.change(run, number, key)
                    if not run.count:
                        del runs[key]
        batch.sets.apply(self.sets)
        if unused:
            self._encoder.forget()
        self.terms.refresh(unused)
        if batch.texts:
            self.segments.append("".join(batch.texts))
            self._text_length += batch.length
        if self._garbage * 2 > self._text_length or (
            len(self.segments) > self.count // _SEGMENT_CANDIDATES + _SPARE_SEGMENTS
        ):
            self._rewrite_segments()

    def _rewrite_segments(self) -> None:
        """Every live text into new segments, in id order, leaving the garbage behind."""
        live = bitsets.ids_of(self.live)
        segments: list[str] = []
        for first in range(0, len(live), _SEGMENT_CANDIDATES):
            texts = []
            length = 0
            for candidate_id in live[first : first + _SEGMENT_CANDIDATES]:
                start = self.bounds[0][candidate_id]
                end = self.bounds[-1][candidate_id] - 1
                texts.append(self.segments[self.segment_of[candidate_id]][start:end])
                for bounds in self.bounds:
                    bounds[candidate_id] += length - start
                self.segment_of[candidate_id] = len(segments)
                length += end - start
            segments.append("".join(texts))
        self.segments = segments
        self._text_length = sum(map(len, segments))
        self._garbage = 0

    def filtered(self, filters: SearchFilters) -> int:
        """The live candidates that pass ``filters``."""
        allowed = self.live
        if filters.preferred_country_ids:
            by_country = self.sets[_COUNTRY]
            allowed &= bitsets.union(
                by_country.get(country_id, 0) for country_id in filters.preferred_country_ids
            )
        if filters.active_since is not None:
            allowed = self._active_since(filters.active_since, allowed)
        return allowed

    def _active_since(self, moment: datetime, allowed: int) -> int:
        """Those of ``allowed`` active since ``moment``: only those of the boundary day that
        other filters let through are looked up one by one."""
        cutoff = moment.timestamp()
        first_week = int(cutoff // WEEK_SECONDS)
        by_week = self.sets[_WEEK]
        later = bitsets.union(bits for week, bits in by_week.items() if week > first_week)
        first_day = int(cutoff // DAY_SECONDS)
        by_day = self._days_of(first_week)
        later |= bitsets.union(bits for day, bits in by_day.items() if day > first_day)
        members = bitsets.ids_of(by_day.get(first_day, 0) & allowed)
        since = map(operator.ge, map(self._active.__getitem__, members), repeat(cutoff))
        return allowed & later | bitsets.from_ids(list(compress(members, since)))

    def _days_of(self, week: int) -> dict[int, int]:
        """The members of a week's set by day of their last activity: split the first time a
        search asks (searches may do so concurrently: they find the same), dropped when the
        week's set changes."""
        found = self._days.get(week)
        if found is None:
            members = bitsets.ids_of(self.sets[_WEEK].get(week, 0))
            days: dict[int, list[int]] = defaultdict(list)
            moments = map(self._active.__getitem__, members)
            for member, day in zip(
                members, map(int, map(operator.floordiv, moments, repeat(DAY_SECONDS))), strict=True
            ):
                days[day].append(member)
            found = {day: bitsets.from_ids(ids) for day, ids in days.items()}
            if len(self._days) >= _WEEKS_SPLIT:
                self._days.clear()
            self._days[week] = found
        return found
