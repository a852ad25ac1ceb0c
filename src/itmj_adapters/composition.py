"""The one composition root: configuration in, the wired use cases out.

Nothing is built at import time; callers (the HTTP app factory, the CLI, workers, tests) ask
for ``build_services`` and own what it returns, including closing it.
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack
from datetime import timedelta
from typing import TYPE_CHECKING, cast

import attrs

from itmj_adapters.change_log import ChangeLog
from itmj_adapters.clock import SystemClock
from itmj_adapters.cv_reader import LibraryCvReader
from itmj_adapters.delivery_log import LoggingDeliveryLog
from itmj_adapters.demo_mailbox import DemoMailbox
from itmj_adapters.event_encoder import JsonEventEncoder
from itmj_adapters.extras import requires
from itmj_adapters.following_index import FollowingIndex, IndexSnapshot
from itmj_adapters.host_resolver import SystemResolver
from itmj_adapters.key_use import CoalescedKeyUse, DiscardedKeyUse, ImmediateKeyUse
from itmj_adapters.lazy_hasher import DefaultPasswordHasher
from itmj_adapters.leader_lock import ProcessLeaderLock
from itmj_adapters.memory.candidate_index import MemoryCandidateIndex
from itmj_adapters.memory.countries import MemoryCountryDirectory
from itmj_adapters.memory.rate_limiter import MemoryRateLimiter
from itmj_adapters.memory.sessions import MemorySessionStore
from itmj_adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from itmj_adapters.metrics import MeasuredIndex, ServedMetrics
from itmj_adapters.recording_notifier import RecordingNotifier
from itmj_adapters.secret_box import KeyRing
from itmj_adapters.settings import Settings
from itmj_adapters.smtp_notifier import SmtpNotifier
from itmj_adapters.tasks_synchronous import SynchronousTaskQueue, TaskRunners
from itmj_domain.clock import Clock
from itmj_domain.passwords import PasswordHasher
from itmj_domain.ports import (
    NO_METRICS,
    CandidateIndex,
    CountryDirectory,
    HealthProbe,
    HostResolver,
    KeyUseLog,
    LeaderLock,
    Metrics,
    Notifier,
    TaskQueue,
    UnitOfWorkFactory,
    WebhookSender,
)
from itmj_domain.rate_limits import (
    SPEC_POLICIES,
    LimitedFamily,
    RateLimiter,
    RateLimitPolicy,
)
from itmj_domain.services.accounts import Accounts
from itmj_domain.services.applications import Applications
from itmj_domain.services.authentication import Authenticator
from itmj_domain.services.candidates import CandidateIndexing, Candidates
from itmj_domain.services.console import Console
from itmj_domain.services.credit_orders import CreditOrders
from itmj_domain.services.credits import Credits
from itmj_domain.services.cv_search import CvSearch
from itmj_domain.services.event_log import EventLog
from itmj_domain.services.idempotency import IdempotencyExpiry
from itmj_domain.services.job_board import JobBoard
from itmj_domain.services.job_expiry import JobExpiry
from itmj_domain.services.job_posting import JobPosting
from itmj_domain.services.periodic_work import PeriodicWork
from itmj_domain.services.portal_accounts import PortalAccounts
from itmj_domain.services.portal_sessions import PortalSessions
from itmj_domain.services.team import Team
from itmj_domain.services.webhook_delivery import DEFAULT_LEASE, WebhookDelivery
from itmj_domain.services.webhooks import Webhooks
from itmj_domain.sessions import SessionStore
from itmj_domain.webhooks.retry_policy import RetryPolicy
from itmj_domain.webhooks.targets import TargetPolicy

if TYPE_CHECKING:
    from itmj_adapters.prometheus_metrics import PrometheusMetrics
    from itmj_adapters.tasks_rq import RqTasks

log = logging.getLogger(__name__)


def _in_place(fill: Callable[[], int]) -> int:
    return fill()


@attrs.frozen
class Services:
    clock: Clock
    uow: UnitOfWorkFactory
    notifier: Notifier
    accounts: Accounts
    credits: Credits
    orders: CreditOrders
    team: Team
    console: Console
    jobs: JobPosting
    job_expiry: JobExpiry
    idempotency_expiry: IdempotencyExpiry
    # Expiry and the delivery sweep, as the scheduler runs them (and testing.run_due, once).
    periodic_work: PeriodicWork
    authenticator: Authenticator
    applications: Applications
    # The public job pages and applying through them.
    job_board: JobBoard
    webhooks: Webhooks
    webhook_delivery: WebhookDelivery
    event_log: EventLog
    countries: CountryDirectory
    candidates: Candidates
    candidate_indexing: CandidateIndexing
    cv_search: CvSearch
    tasks: TaskQueue
    leader_lock: LeaderLock
    key_uses: KeyUseLog
    probes: Sequence[HealthProbe]
    portal_accounts: PortalAccounts
    portal_sessions: PortalSessions
    settings: Settings
    # None when switched off (for the benchmark only).
    rate_limiter: RateLimiter | None = None
    rate_policies: Mapping[LimitedFamily, RateLimitPolicy] = SPEC_POLICIES
    # Dependencies the platform serves without: readiness names them, failing, but stays 200.
    advisory_probes: Sequence[HealthProbe] = ()
    # What the root opened (pools, clients, the key-use writer), closed last opened first.
    resources: ExitStack = attrs.field(factory=ExitStack)
    warmers: Sequence[Callable[[], None]] = ()
    # Opened around each API request, if the backend has anything its units of work can
    # share within one (on PostgreSQL, a pooled connection; in memory, nothing).
    request_scope: Callable[[], AbstractContextManager[object]] | None = None
    # ITMJ_METRICS=1: what the HTTP edge reports requests to, and the page it serves.
    served_metrics: ServedMetrics | None = None
    # On PostgreSQL without Elasticsearch (an index in each process's memory): the index
    # filled, for processes forked from this one (``build_services(index_snapshot=)``), and
    # a request that every process's index read every candidate again.
    index_snapshot: Callable[[], IndexSnapshot] | None = None
    request_index_rebuild: Callable[[], None] | None = None
    # How a full rebuild of the search index runs its fill: on Elasticsearch into a new index
    # that then takes over (``ElasticsearchCandidateIndex.rebuilt``), else in place.
    rebuild_around: Callable[[Callable[[], int]], int] = _in_place

    def reindex(self) -> int:
        """Rebuild the search index from the stored candidates; how many are searchable."""
        return self.rebuild_around(self.candidate_indexing.rebuild)

    def warm_up(self) -> None:
        """What a long-running server does before its first request, so that request is not
        the slow one: an in-memory index over PostgreSQL reads every candidate (unless it was
        handed one filled) and starts following the changes."""
        for warm in self.warmers:
            warm()

    def close(self) -> None:
        """Close what the services opened (pools, clients, the key-use writer); a ``with``
        block over the services does it on leaving."""
        self.resources.close()

    def __enter__(self) -> "Services":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@attrs.frozen
class _Overrides:
    """What the caller brought for the outbound ports, instead of what settings configure."""

    webhook_sender: WebhookSender | None = None
    task_queue: TaskQueue | None = None
    candidate_index: CandidateIndex | None = None
    metrics: Metrics | None = None
    index_snapshot: IndexSnapshot | None = None


def build_services(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    notifier: Notifier | None = None,
    password_hasher: PasswordHasher | None = None,
    resolver: HostResolver | None = None,
    webhook_sender: WebhookSender | None = None,
    task_queue: TaskQueue | None = None,
    candidate_index: CandidateIndex | None = None,
    metrics: Metrics | None = None,
    index_snapshot: IndexSnapshot | None = None,
) -> Services:
    """The services that ``settings`` (by default, the environment) configure.

    Each keyword replaces one outbound port, whatever the settings say: ``clock`` (the
    system clock), ``notifier`` (SMTP when ``smtp_url`` is set, else an outbox in memory,
    which in demo mode also logs each email and feeds the demo's mail page),
    ``password_hasher`` (Argon2id, from the ``[http]`` extra), ``resolver`` (the system's DNS,
    which vets webhook targets), ``webhook_sender`` (POSTs over HTTP), ``task_queue`` (RQ
    when ``redis_url`` is set, else tasks run at once in the caller's thread) and
    ``candidate_index`` (Elasticsearch when ``elasticsearch_url`` is set, else an index in
    memory) and ``metrics`` (what the use cases count: Prometheus when ``metrics`` is set,
    else nothing). What is replaced is not built or connected to: with ``task_queue`` given and
    Redis configured, Redis still holds the leader lock, the portal's sessions and the rate
    limits, but no RQ queue is made. ``index_snapshot`` is an in-memory index already filled
    (``Services.index_snapshot`` of the process this one was forked from), which the index
    over PostgreSQL starts from instead of reading every candidate.

    On PostgreSQL, the database must be migrated to this code's schema first
    (``migrate(url)``, or ``itmj db migrate``); otherwise this raises ``SchemaMismatch``.
    """
    settings = settings or Settings.from_environ()
    clock = clock or SystemClock()
    resolver = resolver or SystemResolver()
    password_hasher = password_hasher or DefaultPasswordHasher()
    if notifier is None:
        notifier = _notifier(settings)
    overrides = _Overrides(webhook_sender, task_queue, candidate_index, metrics, index_snapshot)
    with ExitStack() as opened:
        return _build(settings, opened, clock, notifier, password_hasher, resolver, overrides)


def _notifier(settings: Settings) -> Notifier:
    """SMTP when configured; else an outbox in memory, which in demo mode also logs each
    email whole and feeds the demo's mail page."""
    if settings.smtp_url:
        return SmtpNotifier(settings.smtp_url)
    return DemoMailbox() if settings.demo else RecordingNotifier()


def _build(
    settings: Settings,
    opened: ExitStack,
    clock: Clock,
    notifier: Notifier,
    password_hasher: PasswordHasher,
    resolver: HostResolver,
    overrides: _Overrides,
) -> Services:
    """Whatever is opened is entered on ``opened`` at once, so that a failure part way closes
    what came before it; the services built take it all over, and close it last opened first
    (what uses a pool, say, before the pool)."""
    probes: list[HealthProbe] = []
    warmers: list[Callable[[], None]] = []
    store = _store(settings, probes, opened)
    uow, countries = store.uow, store.countries
    # Tested against None: an empty index, say, is falsy.
    index = overrides.candidate_index
    following: FollowingIndex | None = None
    rebuild_around = None
    if index is None:
        index, rebuild_around = _candidate_index(
            settings, store, probes, opened, overrides.index_snapshot
        )
        if isinstance(index, FollowingIndex):
            following = index
            warmers.append(index.follow)
    prometheus = _prometheus(settings)
    if prometheus is not None:
        opened.callback(prometheus.close)
        backend = "elasticsearch" if settings.elasticsearch_url else "memory"
        index = MeasuredIndex(index, backend, prometheus)
    metrics: Metrics = overrides.metrics or prometheus or NO_METRICS
    targets = TargetPolicy(allow_private=settings.webhook_allow_private)
    sender = overrides.webhook_sender
    if sender is None:
        sender = _webhook_sender(targets, resolver, opened)
    runners: TaskRunners | None = None

    def bound_runners() -> TaskRunners:
        if runners is None:
            raise RuntimeError("a task was queued while the services were being built")
        return runners

    queue = overrides.task_queue
    if queue is None and not settings.redis_url:
        queue = SynchronousTaskQueue(bound_runners)
    shared = _shared_state(settings, probes, opened, store.sessions, queue)
    tasks = shared.tasks
    delivery = WebhookDelivery(
        uow, clock, tasks, sender, JsonEventEncoder(), notifier,
        RetryPolicy.from_seconds(settings.webhook_retry_delays)
        if settings.webhook_retry_delays
        else RetryPolicy(),
        timedelta(seconds=settings.webhook_lease_seconds)
        if settings.webhook_lease_seconds
        else DEFAULT_LEASE,
        LoggingDeliveryLog(),
        metrics,
    )
    advisory_probes: list[HealthProbe] = []
    rate_limiter = _rate_limiter(settings, clock, opened, advisory_probes, store)
    indexing = CandidateIndexing(uow, countries, index)
    portal_accounts = PortalAccounts(uow, clock, notifier, tasks, password_hasher, rate_limiter)
    runners = TaskRunners(delivery, indexing if following is None else following, portal_accounts)
    job_expiry = JobExpiry(uow, clock, tasks)
    idempotency_expiry = IdempotencyExpiry(uow, clock)
    services = Services(
        clock=clock,
        uow=uow,
        notifier=notifier,
        accounts=Accounts(uow, clock, notifier),
        credits=Credits(uow, clock),
        orders=CreditOrders(uow, clock, confirm_at_once=settings.demo),
        team=Team(uow, clock, notifier, password_hasher),
        console=Console(uow),
        jobs=JobPosting(uow, clock, metrics),
        job_expiry=job_expiry,
        idempotency_expiry=idempotency_expiry,
        periodic_work=PeriodicWork(job_expiry, idempotency_expiry, tasks),
        authenticator=Authenticator(
            uow, clock, store.key_uses if settings.record_key_use else DiscardedKeyUse()
        ),
        applications=Applications(uow, clock, tasks),
        job_board=JobBoard(uow, clock, tasks, indexing, LibraryCvReader(), rate_limiter),
        webhooks=Webhooks(uow, clock, tasks, targets, resolver),
        webhook_delivery=delivery,
        event_log=EventLog(uow, clock),
        countries=countries,
        candidates=Candidates(uow, countries, tasks),
        candidate_indexing=indexing,
        cv_search=CvSearch(uow, clock, index, metrics),
        tasks=tasks,
        leader_lock=shared.leader_lock,
        key_uses=store.key_uses,
        probes=tuple(probes),
        portal_accounts=portal_accounts,
        portal_sessions=PortalSessions(shared.sessions, clock),
        settings=settings,
        rate_limiter=rate_limiter,
        rate_policies=_rate_policies(settings),
        advisory_probes=tuple(advisory_probes),
        warmers=tuple(warmers),
        request_scope=store.request_scope,
        served_metrics=prometheus,
        index_snapshot=None if following is None else following.snapshot,
        request_index_rebuild=(
            None if following is None or store.candidate_changes is None
            else store.candidate_changes.request_rebuild
        ),
        resources=opened.pop_all(),
        rebuild_around=rebuild_around or _in_place,
    )
    if prometheus is not None:
        _readings(prometheus, services, clock, store, shared)
    return services


def _prometheus(settings: Settings) -> "PrometheusMetrics | None":
    if not settings.metrics:
        return None
    with requires("metrics"):
        from itmj_adapters.prometheus_metrics import PrometheusMetrics

    return PrometheusMetrics()


def _readings(
    prometheus: "PrometheusMetrics", services: Services, clock: Clock, store: "_Store",
    shared: "_SharedState",
) -> None:
    """The gauges read at scrape time, by the process that serves the scrape."""

    def outbox_lag() -> float:
        oldest = services.webhook_delivery.oldest_unrelayed()
        return 0.0 if oldest is None else max(0.0, (clock.now() - oldest).total_seconds())

    prometheus.add_reading(
        "outbox_lag_seconds", "Age of the oldest outbox event not yet relayed", outbox_lag)
    queue_depth = shared.queue_depth
    if queue_depth is not None:
        prometheus.add_reading("queue_depth", "Tasks waiting in the RQ queue",
                               lambda: float(queue_depth()))
    pool_stats = store.pool_stats
    if pool_stats is not None:
        def in_use() -> float:
            stats = pool_stats()
            return float(stats.get("pool_size", 0) - stats.get("pool_available", 0))

        prometheus.add_reading(
            "db_pool_in_use", "Database connections lent out by this process's pool", in_use)
        prometheus.add_reading(
            "db_pool_waiting", "Requests waiting for a connection in this process's pool",
            lambda: float(pool_stats().get("requests_waiting", 0)))


def _webhook_sender(
    targets: TargetPolicy, resolver: HostResolver, opened: ExitStack
) -> WebhookSender:
    from itmj_adapters.webhook_sender import WebhookSender as Urllib3Sender

    sender = Urllib3Sender(targets, resolver)
    opened.callback(sender.close)
    return sender


@attrs.frozen
class _Store:
    uow: UnitOfWorkFactory
    countries: CountryDirectory
    key_uses: KeyUseLog
    # Where portal sessions live unless Redis is configured.
    sessions: SessionStore
    request_scope: Callable[[], AbstractContextManager[object]] | None = None
    # The pool's psycopg_pool statistics, on PostgreSQL.
    pool_stats: Callable[[], Mapping[str, int]] | None = None
    # On PostgreSQL: the log of candidate changes every process's index follows, and the
    # rate limiter every process shares when there is no Redis.
    candidate_changes: ChangeLog | None = None
    shared_rate_limiter: Callable[[Clock], RateLimiter] | None = None


def _store(settings: Settings, probes: list[HealthProbe], opened: ExitStack) -> _Store:
    """PostgreSQL when configured, otherwise this process's memory."""
    configured_keys = KeyRing(settings.secret_keys) if settings.secret_keys else None
    if not settings.database_url:
        uow = MemoryUnitOfWorkFactory(secrets=configured_keys or _ephemeral_keys())
        return _Store(uow, MemoryCountryDirectory(), ImmediateKeyUse(uow), MemorySessionStore())
    with requires("postgres"):
        from itmj_adapters.postgres.candidate_changes import PostgresCandidateChanges
        from itmj_adapters.postgres.connection import (
            PostgresProbe,
            first_connection,
            open_pool,
        )
        from itmj_adapters.postgres.countries import PostgresCountryDirectory
        from itmj_adapters.postgres.migrations import check_schema
        from itmj_adapters.postgres.rate_limiter import PostgresRateLimiter
        from itmj_adapters.postgres.sessions import PostgresSessionStore
        from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory

    # Reached and checked once before the pool opens: an unreachable or unmigrated database
    # is one line (DatabaseUnreachable, SchemaBehind), not a pool that times out.
    with first_connection(settings.database_url) as conn:
        check_schema(conn)
    pool = open_pool(settings.database_url, max_size=settings.db_pool_size)
    opened.callback(pool.close)
    probes.append(PostgresProbe(pool))
    # Without keys, webhook secrets are refused where they are read or written, not here:
    # commands that touch none work as before.
    postgres_uow = PostgresUnitOfWorkFactory(pool, configured_keys)
    key_uses = CoalescedKeyUse(postgres_uow, settings.last_used_flush_seconds)
    # Opened after the pool, so closed before it: the last uses are written through it.
    opened.callback(key_uses.close)
    return _Store(
        postgres_uow, PostgresCountryDirectory(pool), key_uses, PostgresSessionStore(pool),
        postgres_uow.request_scope, pool.get_stats,
        PostgresCandidateChanges(pool, settings.database_url),
        lambda clock: PostgresRateLimiter(postgres_uow.standalone, clock),
    )


def _ephemeral_keys() -> KeyRing:
    log.warning(
        "ITMJ_SECRET_KEYS is not set: webhook secrets are encrypted under a key made for this "
        "process, which is lost with it (as is everything kept in memory)"
    )
    return KeyRing.ephemeral()


@attrs.frozen
class _SharedState:
    tasks: TaskQueue
    leader_lock: LeaderLock
    sessions: SessionStore
    # How many tasks wait in the RQ queue, when there is one.
    queue_depth: Callable[[], int] | None = None


def _shared_state(
    settings: Settings,
    probes: list[HealthProbe],
    opened: ExitStack,
    fallback_sessions: SessionStore,
    tasks: TaskQueue | None,
) -> _SharedState:
    """What several processes must share when there are several: with Redis, the task
    queue (unless ``tasks`` is given), the scheduler's leader lock and the portal's
    sessions; without, the tasks run as ``tasks`` does (in process), one process leads, and
    sessions live in ``fallback_sessions`` (the database when there is one, which server
    processes share too)."""
    if not settings.redis_url:
        assert tasks is not None
        return _SharedState(tasks, ProcessLeaderLock(), fallback_sessions)
    with requires("redis"):
        from redis import Redis

        from itmj_adapters.leader_lock import RedisLeaderLock
        from itmj_adapters.redis_probe import RedisProbe
        from itmj_adapters.redis_sessions import RedisSessionStore
        from itmj_adapters.tasks_rq import RqTaskQueue

    redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=2)
    opened.callback(redis.close)
    probes.append(RedisProbe(redis))
    if tasks is not None:
        return _SharedState(tasks, RedisLeaderLock(redis), RedisSessionStore(redis))
    queue = RqTaskQueue(redis, rq_tasks())
    return _SharedState(queue, RedisLeaderLock(redis), RedisSessionStore(redis), queue.depth)


def rq_tasks() -> "RqTasks":
    """What an RQ worker runs for each task: the functions of ``itmj_jobs.tasks``. The one
    import from the adapters up to an edge, which architecture.toml allows by name; RQ's
    import paths, written as strings, would hide it from the linter."""
    from itmj_adapters.tasks_rq import RqTasks
    from itmj_jobs import tasks

    return RqTasks(
        dispatch=tasks.dispatch,
        deliver=tasks.deliver,
        index_candidates=tasks.index_candidates,
        send_password_reset=tasks.send_password_reset,
    )


def _rate_limiter(
    settings: Settings,
    clock: Clock,
    opened: ExitStack,
    advisory_probes: list[HealthProbe],
    store: _Store,
) -> RateLimiter | None:
    """One window per key shared by every process: in Redis when it is configured, else in
    PostgreSQL; otherwise this process's memory, which is all there is of the in-memory
    backend."""
    if not settings.rate_limits:
        return None
    if not settings.redis_url:
        if store.shared_rate_limiter is not None:
            return store.shared_rate_limiter(clock)
        return MemoryRateLimiter(clock)
    with requires("redis"):
        from redis import Redis

        from itmj_adapters.redis_rate_limiter import RedisRateLimiter

    # A client of its own with short timeouts: it is asked on every limited request, and
    # when Redis hangs the limiter gives up quickly and serves (fails open).
    redis = Redis.from_url(settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
    opened.callback(redis.close)
    limiter = RedisRateLimiter(redis, clock)
    advisory_probes.append(limiter)
    return limiter


def _rate_policies(settings: Settings) -> Mapping[LimitedFamily, RateLimitPolicy]:
    if settings.rate_limit_override is None:
        return SPEC_POLICIES
    return {family: attrs.evolve(policy, limit=settings.rate_limit_override)
            for family, policy in SPEC_POLICIES.items()}


def _candidate_index(
    settings: Settings,
    store: _Store,
    probes: list[HealthProbe],
    opened: ExitStack,
    snapshot: IndexSnapshot | None,
) -> tuple[CandidateIndex, Callable[[Callable[[], int]], int] | None]:
    """Elasticsearch when configured: one index every process shares, created with its
    mapping on first use, before anything writes to it (a write would otherwise create it
    with guessed types); not here, so that a cluster that is down stops only what searches.
    Otherwise an index in this process's memory, which over PostgreSQL fills itself from the
    database (or starts from ``snapshot``) and follows the log of candidate changes."""
    if settings.elasticsearch_url:
        with requires("elasticsearch"):
            from itmj_adapters.elasticsearch import client as elasticsearch_client
            from itmj_adapters.elasticsearch.candidate_index import ElasticsearchCandidateIndex
            from itmj_adapters.elasticsearch.health import ElasticsearchProbe

        client = elasticsearch_client.connect(settings)
        opened.callback(client.close)
        probes.append(ElasticsearchProbe(client))
        shared = ElasticsearchCandidateIndex(client)
        return shared, shared.rebuilt
    if store.candidate_changes is None:
        return MemoryCandidateIndex(), None
    uow, countries = store.uow, store.countries
    index = FollowingIndex(
        store.candidate_changes,
        MemoryCandidateIndex,
        lambda inner: CandidateIndexing(uow, countries, inner).rebuild(),
        lambda inner, ids: CandidateIndexing(uow, countries, inner).refresh(ids),
        snapshot,
        # The inner index is the one ``MemoryCandidateIndex`` above makes.
        settle=lambda inner: cast(MemoryCandidateIndex, inner).settle(),
    )
    # Registered after the pool, so stopped before it closes.
    opened.callback(index.close)
    return index, None
