"""The candidate change log and the index that follows it, on a real PostgreSQL: a change that
took a lower position but committed later is not skipped, a follower that heard nothing still
catches up, a process started late from a snapshot loses nothing, and reindex rebuilds."""

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta

import attrs
import pytest
from psycopg_pool import ConnectionPool

from itmj_adapters.change_log import ChangeLog, ChangePage, Cursor
from itmj_adapters.following_index import FollowingIndex, IndexSnapshot
from itmj_adapters.postgres.candidate_changes import RETENTION, PostgresCandidateChanges
from itmj_adapters.postgres.countries import PostgresCountryDirectory
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_domain.candidates import Candidate
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters, SearchHits
from itmj_domain.services.candidates import CandidateIndexing
from tests.contract.seed import T0, Seed

pytestmark = pytest.mark.postgres

# Guards against a hang only; never reached when the follower works.
SAFETY_TIMEOUT_SECONDS = 30


class IdsIndex:
    """An index that keeps the ids it holds, which is what these tests look at."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        self.ids |= {candidate.id for candidate in candidates}

    def remove(self, candidate_ids: Sequence[int]) -> None:
        self.ids -= set(candidate_ids)

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        raise AssertionError("not searched here")


@attrs.define
class World:
    pool: ConnectionPool
    url: str
    uow: PostgresUnitOfWorkFactory
    seed: Seed
    refreshed: list[list[int]] = attrs.Factory(list)

    def changes(self) -> PostgresCandidateChanges:
        return PostgresCandidateChanges(self.pool, self.url)

    def following(
        self, snapshot: IndexSnapshot | None = None, changes: ChangeLog | None = None
    ) -> FollowingIndex:
        countries = PostgresCountryDirectory(self.pool)

        def refresh(inner, ids: Sequence[int]) -> None:
            self.refreshed.append(list(ids))
            CandidateIndexing(self.uow, countries, inner).refresh(ids)

        return FollowingIndex(
            changes or self.changes(), IdsIndex,
            lambda inner: CandidateIndexing(self.uow, countries, inner).rebuild(),
            refresh, snapshot,
        )

    def positions(self) -> dict[int | None, int]:
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT candidate_id, position FROM candidate_changes").fetchall()
        return dict(rows)

    @contextmanager
    def uncommitted_candidate(self):
        """A candidate added in a transaction left open until the block ends, then committed."""
        with self.uow() as uow:
            candidate_id = uow.candidates.next_id()
            uow.candidates.add(Candidate(
                candidate_id, f"slow-{candidate_id}", "Sam Slow", "sam@example.com", None,
                "Engineer", "", (), None, None, frozenset(), T0, False,
            ))
            yield candidate_id
            uow.commit()


@pytest.fixture
def world(clean_database: str, pg_pool: ConnectionPool) -> World:
    uow = PostgresUnitOfWorkFactory(pg_pool)
    return World(pg_pool, clean_database, uow, Seed(uow))


def ids(index: FollowingIndex) -> set[int]:
    inner = index.snapshot().index
    assert isinstance(inner, IdsIndex)
    return inner.ids


def test_a_change_that_commits_after_a_later_one_is_not_skipped(world: World) -> None:
    index = world.following()
    index.fill()
    with world.uncommitted_candidate() as slow:
        quick = world.seed.candidate().id
        assert index.catch_up() == 1
        assert ids(index) == {quick}
        # Read again while the slow one still runs: the quick change is not applied twice.
        assert index.catch_up() == 0
    assert world.positions()[slow] < world.positions()[quick]
    assert index.catch_up() == 1
    assert ids(index) == {quick, slow}
    assert world.refreshed == [[quick], [slow]]


def test_a_rolled_back_change_holds_nothing_back(world: World) -> None:
    index = world.following()
    index.fill()
    with world.uow() as abandoned:
        candidate_id = abandoned.candidates.next_id()
        abandoned.candidates.add(Candidate(
            candidate_id, "gone", "Gil Gone", "gil@example.com", None, "Engineer", "", (),
            None, None, frozenset(), T0, False,
        ))
    first = world.seed.candidate().id
    index.catch_up()
    second = world.seed.candidate().id
    assert index.catch_up() == 1
    assert ids(index) == {first, second}


def test_a_follower_that_missed_every_announcement_catches_up_from_the_log(
    world: World,
) -> None:
    index = world.following()
    index.fill()
    # Nobody listened while these committed.
    shown = world.seed.candidate().id
    hidden = world.seed.candidate().id
    with world.uow() as uow:
        candidate = uow.candidates.get(hidden)
        assert candidate is not None
        uow.candidates.save(attrs.evolve(candidate, hidden=True))
        uow.commit()
    assert index.catch_up() == 3
    assert ids(index) == {shown}


class _Deaf:
    """A listener that never hears an announcement."""

    def wait(self, timeout: float) -> bool:
        threading.Event().wait(timeout)
        return False


@attrs.define
class _DeafLog:
    """The real log, whose announcements are all lost; each read is signalled."""

    inner: PostgresCandidateChanges
    read_done: threading.Condition = attrs.Factory(threading.Condition)
    reads: int = 0

    def horizon(self) -> int:
        return self.inner.horizon()

    def read(self, horizon: int, after: Cursor | None, limit: int) -> ChangePage:
        page = self.inner.read(horizon, after, limit)
        with self.read_done:
            self.reads += 1
            self.read_done.notify_all()
        return page

    def request_rebuild(self) -> None:
        self.inner.request_rebuild()

    def prune(self) -> int:
        return self.inner.prune()

    def listening(self) -> AbstractContextManager[_Deaf]:
        @contextmanager
        def deaf():
            yield _Deaf()

        return deaf()

    def wait_for_reads(self, count: int) -> None:
        with self.read_done:
            target = self.reads + count
            assert self.read_done.wait_for(lambda: self.reads >= target, SAFETY_TIMEOUT_SECONDS)


def test_a_following_thread_that_hears_nothing_still_polls_the_log(world: World) -> None:
    log = _DeafLog(world.changes())
    index = world.following(changes=log)
    index.follow()
    try:
        candidate_id = world.seed.candidate().id
        # Two reads: the one under way may have started before the commit.
        log.wait_for_reads(2)
        assert ids(index) == {candidate_id}
    finally:
        index.close()


def test_a_process_started_late_from_a_snapshot_loses_nothing(world: World) -> None:
    before = world.seed.candidate().id
    master = world.following()
    with world.uncommitted_candidate() as in_flight:
        snapshot = master.snapshot()
    assert snapshot.index.ids == {before}  # type: ignore[attr-defined]
    after = world.seed.candidate().id
    with world.uow() as uow:
        candidate = uow.candidates.get(before)
        assert candidate is not None
        uow.candidates.save(attrs.evolve(candidate, hidden=True))
        uow.commit()

    worker = world.following(snapshot=snapshot)
    worker.catch_up()
    assert worker.snapshot().index is snapshot.index
    assert ids(worker) == {in_flight, after}


def test_a_snapshot_hands_over_the_index_once_it_is_settled(world: World) -> None:
    world.seed.candidate()
    countries = PostgresCountryDirectory(world.pool)
    settled: list[object] = []
    master = FollowingIndex(
        world.changes(), IdsIndex,
        lambda inner: CandidateIndexing(world.uow, countries, inner).rebuild(),
        lambda inner, ids: None, settle=settled.append,
    )

    snapshot = master.snapshot()

    assert settled == [snapshot.index]
    assert snapshot.index.ids  # type: ignore[attr-defined]


def test_a_rebuild_request_makes_a_follower_read_every_candidate_anew(world: World) -> None:
    index = world.following()
    index.fill()
    first = world.seed.candidate().id
    before = index.snapshot().index
    world.changes().request_rebuild()
    index.catch_up()
    rebuilt = index.snapshot().index
    assert rebuilt is not before
    assert ids(index) == {first}
    # The request is applied once, not again at each read.
    index.catch_up()
    assert index.snapshot().index is rebuilt


def test_a_change_of_the_process_itself_is_read_back_from_the_log(world: World) -> None:
    index = world.following()
    index.fill()
    candidate_id = world.seed.candidate().id
    # What a synchronous indexing task hands over is taken as a sign to read the log.
    index.upsert([])
    assert ids(index) == {candidate_id}


def test_changes_older_than_the_retention_are_pruned(world: World) -> None:
    world.seed.candidate()
    kept = world.seed.candidate().id
    with world.pool.connection() as conn:
        conn.execute(
            "UPDATE candidate_changes SET changed_at = now() - %s WHERE candidate_id <> %s",
            (RETENTION + timedelta(minutes=1), kept),
        )
    assert world.changes().prune() == 1
    assert list(world.positions()) == [kept]
