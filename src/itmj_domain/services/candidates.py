"""Loading candidates from a source system, and keeping the search index in line with them.

An import streams: entries are checked and written in batches, each batch one transaction, so
a file of any length needs memory for one batch (and for the list of rejected lines, which
the report names). A rejected line changes nothing and the rest still load. Once a batch has
committed, the task queue is asked to index what it changed; the database stays the record,
and ``CandidateIndexing.rebuild`` brings an index back in line with it whatever was lost.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

import attrs

from itmj_domain.candidates import Candidate, CandidateProfile
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.ports import (
    CandidateIndex,
    CountryDirectory,
    TaskQueue,
    UnitOfWork,
    UnitOfWorkFactory,
    indexed,
)

IMPORT_BATCH_SIZE = 500
# An in-memory index rewrites each common term's set (an integer as large as the index) once
# per batch: at a million candidates, batches of 1000 spend a third of the build on that.
REINDEX_BATCH_SIZE = 5000


@attrs.frozen
class ImportLine:
    """A line of the source that reads as a profile; ``number`` counts from 1."""

    number: int
    profile: CandidateProfile


@attrs.frozen
class Rejection:
    line: int
    reason: str


@attrs.frozen
class ImportReport:
    imported: int
    updated: int
    rejected: Sequence[Rejection]


@attrs.frozen
class _BatchOutcome:
    imported: int
    updated: int
    rejected: Sequence[Rejection]
    changed_ids: Sequence[int]


@attrs.frozen
class Candidates:
    uow: UnitOfWorkFactory
    countries: CountryDirectory
    tasks: TaskQueue
    batch_size: int = IMPORT_BATCH_SIZE

    def import_profiles(self, entries: Iterable[ImportLine | Rejection]) -> ImportReport:
        """Upsert each profile by its external id (new: imported, known: updated), in order;
        a ``Rejection`` (a line the caller could not read) is reported as it stands."""
        imported = updated = 0
        rejected: list[Rejection] = []
        for batch in _batches(entries, self.batch_size):
            outcome = self._load(batch)
            imported += outcome.imported
            updated += outcome.updated
            rejected.extend(outcome.rejected)
            if outcome.changed_ids:
                self.tasks.index_candidates(outcome.changed_ids)
        return ImportReport(imported, updated, tuple(rejected))

    def set_hidden(self, candidate_id: int, hidden: bool) -> Candidate:
        """Hide a candidate from every employer (search, profile, applications) or show it."""
        with self.uow() as uow:
            candidate = uow.candidates.get(candidate_id)
            if candidate is None:
                raise NotFound(f"candidate {candidate_id} not found")
            changed = attrs.evolve(candidate, hidden=hidden)
            uow.candidates.save(changed)
            uow.commit()
        self.tasks.index_candidates([candidate_id])
        return changed

    def _load(self, batch: Sequence[ImportLine | Rejection]) -> _BatchOutcome:
        """The batch's lines in order, as if upserted one by one (a later line of an external
        id sees what an earlier one wrote), in a few bulk calls: one lookup, one allocation
        of ids, one write of the new candidates and one of the changed ones."""
        accepted, rejected = self._checked(batch)
        with self.uow() as uow:
            written = _upserted(uow, accepted)
            uow.candidates.add_many(list(written.added.values()))
            uow.candidates.save_many(list(written.saved.values()))
            uow.commit()
        changed = [c.id for c in (*written.added.values(), *written.saved.values())]
        return _BatchOutcome(
            len(accepted) - written.updated, written.updated, rejected, changed
        )

    def _checked(
        self, batch: Sequence[ImportLine | Rejection]
    ) -> tuple[list[Candidate], list[Rejection]]:
        """The candidates of the lines that pass every rule (ids still 0), and the rest."""
        accepted: list[Candidate] = []
        rejected: list[Rejection] = []
        for entry in batch:
            if isinstance(entry, Rejection):
                rejected.append(entry)
                continue
            try:
                self._check_countries(entry.profile)
                accepted.append(entry.profile.as_candidate(0))
            except InvalidInput as error:
                rejected.append(Rejection(entry.number, _reason(error)))
        return accepted, rejected

    def _check_countries(self, profile: CandidateProfile) -> None:
        if profile.country_id is not None and self.countries.get(profile.country_id) is None:
            raise InvalidInput(f"unknown country {profile.country_id}", field="country_id")
        unknown = sorted(c for c in profile.preferred_country_ids if self.countries.get(c) is None)
        if unknown:
            raise InvalidInput(
                f"unknown countries {', '.join(map(str, unknown))}", field="preferred_country_ids"
            )


@attrs.frozen
class CandidateIndexing:
    """The search index as a copy of the candidates stored: visible ones in, hidden ones out."""

    uow: UnitOfWorkFactory
    countries: CountryDirectory
    index: CandidateIndex
    batch_size: int = REINDEX_BATCH_SIZE

    def refresh(self, candidate_ids: Sequence[int]) -> None:
        """Index these candidates as they are stored now; drop hidden and missing ones."""
        with self.uow(read_only=True) as uow:
            found = uow.candidates.get_many(candidate_ids)
        stored = {candidate.id for candidate in found}
        self._apply(found, [cid for cid in dict.fromkeys(candidate_ids) if cid not in stored])

    def rebuild(self) -> int:
        """Walk every stored candidate in batches into the index; returns how many are
        visible (indexed)."""
        after_id = 0
        visible = 0
        while True:
            with self.uow(read_only=True) as uow:
                batch = uow.candidates.batch_after(after_id, self.batch_size)
            if not batch:
                return visible
            visible += self._apply(batch, [])
            after_id = batch[-1].id

    def _apply(self, candidates: Sequence[Candidate], missing: Sequence[int]) -> int:
        shown = [indexed(c, self._country_name(c)) for c in candidates if not c.hidden]
        gone = [*missing, *(c.id for c in candidates if c.hidden)]
        if shown:
            self.index.upsert(shown)
        if gone:
            self.index.remove(gone)
        return len(shown)

    def _country_name(self, candidate: Candidate) -> str | None:
        if candidate.country_id is None:
            return None
        country = self.countries.get(candidate.country_id)
        return None if country is None else country.name


@attrs.frozen
class _Upserts:
    """What a batch writes, by external id: the last version of each new candidate, of each
    stored one it changes; and how many of its lines named a candidate already known."""

    added: dict[str, Candidate]
    saved: dict[str, Candidate]
    updated: int


def _upserted(uow: UnitOfWork, accepted: Sequence[Candidate]) -> _Upserts:
    wanted = list(dict.fromkeys(c.external_id for c in accepted))
    current = {c.external_id: c for c in uow.candidates.find_by_external_ids(wanted)}
    new_ids = iter(uow.candidates.next_ids(sum(e not in current for e in wanted)))
    added: dict[str, Candidate] = {}
    saved: dict[str, Candidate] = {}
    updated = 0
    for checked in accepted:
        existing = current.get(checked.external_id)
        if existing is None:
            candidate = attrs.evolve(checked, id=next(new_ids))
            added[candidate.external_id] = candidate
        else:
            updated += 1
            candidate = attrs.evolve(checked, id=existing.id, hidden=existing.hidden)
            if candidate == existing:
                continue
            pending = added if candidate.external_id in added else saved
            pending[candidate.external_id] = candidate
        current[candidate.external_id] = candidate
    return _Upserts(added, saved, updated)


def _batches(
    entries: Iterable[ImportLine | Rejection], size: int
) -> Iterator[list[ImportLine | Rejection]]:
    iterator = iter(entries)
    while batch := list(islice(iterator, size)):
        yield batch


def _reason(error: InvalidInput) -> str:
    if error.field is None or error.field in error.message:
        return error.message
    return f"{error.field}: {error.message}"
