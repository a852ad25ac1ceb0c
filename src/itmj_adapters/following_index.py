"""A process's in-memory search index over PostgreSQL, kept in line by the candidate change log.

The index is filled from the database once, at a horizon of the log taken just before, or
handed over already filled (``IndexSnapshot``) by the process it was forked from: gunicorn's
master fills it, and its workers share its pages. From then on it follows the log
(``change_log``) from that horizon: a thread wakes when the database announces a commit, or
every ``POLL_SECONDS`` should an announcement be lost, reads the changes since its horizon
and indexes each changed candidate as it is stored by then. Changes read twice (a horizon
stays behind a long-running writer) are told apart by position and applied once; applying
one late is harmless, since what is indexed is the candidate as stored now.

A change this process makes itself (an import, a hide) reaches the index through the same log,
read at once (``upsert`` and ``remove`` catch up rather than trust what they are handed), so
that every application of a candidate reads the database after the change it follows.

A change without a candidate (``itmj candidates reindex``) makes the process read every
candidate into a new index, which replaces the old one when full: searches go on meanwhile.
So does a process that has not read the log for longer than the log keeps changes.

Until it is filled the database alone is the record and nothing is indexed. A server fills it
(or takes it over) and starts following before it serves (``follow``); otherwise the first
search does both, and a one-shot command that never searches never pays for reading every
candidate.
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence

import attrs

from itmj_adapters.change_log import Change, ChangeLog, Cursor
from itmj_domain.ports import (
    CandidateIndex,
    IndexedCandidate,
    ParsedQuery,
    SearchFilters,
    SearchHits,
)

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
PAGE_SIZE = 5000
RETRY_SECONDS = 1.0
PRUNE_EVERY_SECONDS = 3600.0
# Half the log's retention (a day): a process that read nothing for longer rebuilds.
STALE_AFTER_SECONDS = 12 * 3600.0
# How long a change of this process waits to be read while another catch-up runs (a rebuild,
# say); past it, the follower reads it as it would another process's.
OWN_CHANGE_WAIT_SECONDS = 5.0


@attrs.frozen
class IndexSnapshot:
    """A filled index and the horizon it was filled at, for a process forked from this one."""

    index: CandidateIndex
    horizon: int
    # When it was last in line with the log (time.monotonic, which counts alike in every
    # process of the machine): a worker forked long after replays from there, or rebuilds.
    read_at: float


class FollowingIndex:
    def __init__(
        self,
        changes: ChangeLog,
        new_index: Callable[[], CandidateIndex],
        fill: Callable[[CandidateIndex], int],
        refresh: Callable[[CandidateIndex, Sequence[int]], object],
        snapshot: IndexSnapshot | None = None,
        settle: Callable[[CandidateIndex], object] = lambda _: None,
    ) -> None:
        """``settle`` prepares a filled index to be shared with forked processes, before
        ``snapshot`` hands it over."""
        self._changes = changes
        self._new_index = new_index
        self._fill = fill
        self._refresh = refresh
        self._settle = settle
        self._inner = None if snapshot is None else snapshot.index
        self._horizon = 0 if snapshot is None else snapshot.horizon
        # The position and transaction of each change applied at or above the horizon.
        self._applied: dict[int, int] = {}
        self._last_read = time.monotonic() if snapshot is None else snapshot.read_at
        self._last_prune = time.monotonic()
        # One fill or catch-up at a time.
        self._lock = threading.Lock()
        self._starting = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def snapshot(self) -> IndexSnapshot:
        self.fill()
        assert self._inner is not None
        self._settle(self._inner)
        return IndexSnapshot(self._inner, self._horizon, self._last_read)

    def fill(self) -> None:
        with self._lock:
            if self._inner is None:
                self._rebuild()

    def follow(self) -> None:
        """Fill unless filled, catch up, and follow the log in a thread until ``close``."""
        with self._starting:
            if self._thread is not None:
                return
            self.fill()
            self.catch_up()
            if self._stopped.is_set():
                return
            self._thread = threading.Thread(
                target=self._follow, name="itmj-index-follower", daemon=True
            )
            self._thread.start()

    def close(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=POLL_SECONDS * 4)

    def catch_up(self) -> int:
        """Apply what the log holds past this index's horizon; returns how many changes."""
        with self._lock:
            return self._catch_up()

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        self._own_change()

    def remove(self, candidate_ids: Sequence[int]) -> None:
        self._own_change()

    def refresh(self, candidate_ids: Sequence[int]) -> None:
        """What ``CandidateIndexing.refresh`` comes to on this index, for the task that follows
        a change of this process, without reading the candidates first only for ``upsert``
        and ``remove`` to ignore them: the log names them, and the catch-up reads them (not
        at all while the index is unfilled: an import from the command line never fills it)."""
        self._own_change()

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        if self._thread is None:
            # Not warmed up (a one-shot command, a gunicorn of the operator's own): the first
            # search fills the index, and it follows the log from then on.
            self.follow()
        inner = self._inner
        assert inner is not None
        return inner.search(query, filters, offset, limit)

    def _own_change(self) -> None:
        if self._inner is None:
            return
        if self._lock.acquire(timeout=OWN_CHANGE_WAIT_SECONDS):
            try:
                self._catch_up()
            finally:
                self._lock.release()

    def _rebuild(self) -> None:
        started = time.monotonic()
        horizon = self._changes.horizon()
        inner = self._new_index()
        visible = self._fill(inner)
        log.info("search index filled from the database: %d candidates in %.1f s",
                 visible, time.monotonic() - started)
        self._inner = inner
        self._horizon = max(self._horizon, horizon)
        self._last_read = time.monotonic()

    def _catch_up(self) -> int:
        if self._inner is None:
            return 0
        if time.monotonic() - self._last_read > STALE_AFTER_SECONDS:
            self._applied.clear()
            self._horizon = 0
            self._rebuild()
        started = time.monotonic()
        horizon = self._horizon
        next_horizon: int | None = None
        after: Cursor | None = None
        applied = 0
        while True:
            page = self._changes.read(horizon, after, PAGE_SIZE)
            if next_horizon is None:
                # The first page's: a transaction running then may commit under a later page.
                next_horizon = page.horizon
            applied += self._apply([c for c in page.changes if c.position not in self._applied])
            if len(page.changes) < PAGE_SIZE:
                break
            after = page.changes[-1].cursor
        # A rebuild meanwhile may have moved it further already.
        self._horizon = max(self._horizon, next_horizon)
        self._applied = {position: xid for position, xid in self._applied.items()
                         if xid >= self._horizon}
        self._last_read = started
        return applied

    def _apply(self, changes: Sequence[Change]) -> int:
        if not changes:
            return 0
        assert self._inner is not None
        if any(change.candidate_id is None for change in changes):
            self._rebuild()
        else:
            self._refresh(self._inner, sorted({c.candidate_id for c in changes
                                               if c.candidate_id is not None}))
        self._applied.update((change.position, change.xid) for change in changes)
        return len(changes)

    def _follow(self) -> None:
        failing = False
        while not self._stopped.is_set():
            try:
                with self._changes.listening() as listener:
                    while not self._stopped.is_set():
                        self.catch_up()
                        failing = False
                        self._prune_now_and_then()
                        listener.wait(POLL_SECONDS)
            except Exception as error:  # the thread must outlive an outage
                if not failing:
                    log.warning("search index: cannot follow candidate changes (%s); "
                                "retrying every %.0f s", error, RETRY_SECONDS)
                failing = True
                self._stopped.wait(RETRY_SECONDS)

    def _prune_now_and_then(self) -> None:
        if time.monotonic() - self._last_prune < PRUNE_EVERY_SECONDS:
            return
        self._last_prune = time.monotonic()
        self._changes.prune()
