"""Webhook delivery throughput and latency on the real parts (bench/webhooks).

PostgreSQL holds the outbox and deliveries, Redis the RQ queue; ``itmj worker`` (one process)
and ``itmj scheduler`` deliver to a receiver process on loopback that checks every signature
as SPEC §10 says.

1. Throughput: N events are committed while no worker runs, then one worker drains them;
   deliveries/s = N / (last receipt - first receipt).
2. Latency: with the worker running, events are committed at a paced rate; each event's time
   from commit to receipt gives p50 / p95.

The events are spread over ``--employers`` employers, each with its subscription: one
employer's events are numbered one after another (SPEC §12), so their transactions queue on
that employer's counter through each commit, and a single employer caps the committer at one
commit (one WAL flush) at a time, whatever the platform's capacity. ``--employers 1`` measures
that worst case. The committer's rate and its CPU per event (this process, which runs the
application's own use case for each event) are reported with the latency.

The receiver runs in its own process, so the CPU each part spends draining the backlog is
reported apart, per delivery: the worker (what a delivery costs the platform), the scheduler,
PostgreSQL's server processes and the receiver (what the far side costs, not ours).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
from process_cpu import cpu_seconds
from psycopg import sql
from redis import Redis

from itmj_adapters.clock import SystemClock
from itmj_adapters.composition import build_services
from itmj_adapters.postgres.migrations import migrate
from itmj_adapters.secret_box import new_key, parse_keys
from itmj_adapters.settings import Settings
from itmj_domain.candidates import Candidate
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType
from itmj_domain.webhooks.subscriptions import EventType

ROOT = Path(__file__).resolve().parent.parent
ITMJ = Path(sys.executable).with_name("itmj")
DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/itmj_bench_webhooks"
REDIS_URL = "redis://127.0.0.1:6379/13"


def fresh_database(url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        database = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(database))
    migrate(url)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receipts:
    """Reads the receiver's lines as they come."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.by_application: dict[int, float] = {}
        self.deliveries: dict[str, int] = {}
        self.invalid = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            received, application, delivery, valid = line.split()
            with self._lock:
                self.by_application.setdefault(int(application), float(received))
                self.deliveries[delivery] = int(application)
                self.invalid += valid != "1"

    def count(self, applications: set[int]) -> int:
        with self._lock:
            return sum(1 for a in applications if a in self.by_application)

    def times(self, applications) -> list[float]:
        with self._lock:
            return [self.by_application[a] for a in applications]


def wait_for(receipts: Receipts, applications: set[int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while receipts.count(applications) < len(applications):
        if time.monotonic() > deadline:
            raise SystemExit(
                f"only {receipts.count(applications)} of {len(applications)} arrived"
            )
        time.sleep(0.05)


def database_pids(url: str) -> list[int]:
    """PostgreSQL's server processes of the benchmark's database, but this one's own."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return [row[0] for row in rows]


def submit(services, applicants: list[tuple[int, int]], count: int, rate: float | None,
           committed: dict[int, float], threads: int = 8) -> None:
    """Commit ``count`` applications from several threads (each a use-case call and its
    transaction), taking the (job, candidate) pairs of ``applicants`` in turn, paced to
    ``rate`` per second in all when a rate is given."""
    start = time.monotonic()

    def run(offset: int) -> None:
        for n in range(offset, count, threads):
            if rate is not None:
                delay = start + n / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            application = services.applications.submit(*applicants[n % len(applicants)])
            committed[application.id] = time.time()

    workers = [threading.Thread(target=run, args=(offset,)) for offset in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def seed(services, n: int = 0) -> tuple[int, int, int]:
    """An employer with an Active job and one candidate who applies again and again."""
    employer = services.accounts.create_employer(f"Bench {n}")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 1)
    job = services.jobs.create(employer.id, JobContent(
        title="Bench", description="Bench", employment_type=EmploymentType.FULL_TIME,
        remote_type=RemoteType.FULLY_REMOTE, apply_method=ApplyMethod.PORTAL_APPLY))
    services.jobs.publish(employer.id, job.id)
    with services.uow() as uow:
        candidate_id = uow.candidates.next_id()
        uow.candidates.add(Candidate(
            candidate_id, f"bench-{n}", "Bench Candidate", f"bench{n}@example.com", None,
            "Bench", "", (), None, None, frozenset(), SystemClock().now()))
        uow.commit()
    return employer.id, job.id, candidate_id


def subscribed_employers(services, count: int, port: int) -> tuple[list[tuple[int, int]],
                                                                    list[str]]:
    """``count`` seeded employers, employer ``n`` subscribed to ``/hook/n`` on ``port``: the
    (job, candidate) pair of each and the secret of each subscription."""
    applicants, secrets = [], []
    for n in range(count):
        employer_id, job_id, candidate_id = seed(services, n)
        applicants.append((job_id, candidate_id))
        secrets.append(services.webhooks.subscribe(
            employer_id, f"http://127.0.0.1:{port}/hook/{n}",
            frozenset({EventType.APPLICATION_SUBMITTED}),
        ).secret)
    return applicants, secrets


def paced_run(services, applicants: list[tuple[int, int]], count: int, rate: float,
              receipts: Receipts) -> tuple[list[float], float, float]:
    """Each event's commit-to-receipt milliseconds, sorted; the events/s committed; and the
    committer's CPU seconds per event."""
    paced: dict[int, float] = {}
    started, cpu = time.monotonic(), time.process_time()
    submit(services, applicants, count, rate, paced)
    achieved = count / (time.monotonic() - started)
    cpu = (time.process_time() - cpu) / count
    wait_for(receipts, set(paced), 300)
    latencies = sorted(
        (received - paced[a]) * 1000 for a, received in
        zip(paced, receipts.times(paced), strict=True)
    )
    return latencies, achieved, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=500.0, help="events/s in the latency run")
    parser.add_argument("--latency-events", type=int, default=5_000)
    parser.add_argument("--employers", type=int, default=8,
                        help="employers (each one subscription) the events are spread over")
    parser.add_argument("--database-url", default=DATABASE_URL,
                        help="a database this benchmark may drop and create again")
    parser.add_argument("--redis-url", default=REDIS_URL,
                        help="a Redis database this benchmark may flush")
    args = parser.parse_args()
    database_url, redis_url = args.database_url, args.redis_url

    fresh_database(database_url)
    Redis.from_url(redis_url).flushdb()
    secret_keys = new_key()
    env = {**os.environ, "ITMJ_DATABASE_URL": database_url, "ITMJ_REDIS_URL": redis_url,
           "ITMJ_WEBHOOK_ALLOW_PRIVATE": "1", "ITMJ_SECRET_KEYS": secret_keys}
    services = build_services(
        Settings(database_url=database_url, redis_url=redis_url, webhook_allow_private=True,
                 db_pool_size=10, secret_keys=parse_keys(secret_keys)),
        clock=SystemClock(),
    )
    port = free_port()
    applicants, secrets = subscribed_employers(services, args.employers, port)
    processes = [subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "webhook_receiver.py"), str(port), *secrets],
        stdout=subprocess.PIPE, text=True)]
    receipts = Receipts(processes[0])
    try:
        committed: dict[int, float] = {}
        submit(services, applicants, args.events, None, committed)
        print(f"committed {args.events} events with no worker running", file=sys.stderr)
        processes.append(subprocess.Popen([str(ITMJ), "worker"], env=env,
                                          stderr=subprocess.DEVNULL))
        processes.append(subprocess.Popen([str(ITMJ), "scheduler"], env=env,
                                          stderr=subprocess.DEVNULL))
        batch = set(committed)
        parts = {"worker": processes[1].pid, "scheduler": processes[2].pid,
                 "receiver": processes[0].pid}
        # Counted from the first receipt on, so the processes' start-up is not charged to the
        # deliveries; PostgreSQL's server processes are counted from when each is first seen.
        first: tuple[int, dict[str, float]] | None = None
        seen_db: dict[int, float] = {}
        deadline = time.monotonic() + 300
        while (arrived := receipts.count(batch)) < len(batch):
            if time.monotonic() > deadline:
                raise SystemExit(f"only {arrived} of {len(batch)} arrived")
            if first is None and arrived:
                first = arrived, {part: cpu_seconds([pid]) for part, pid in parts.items()}
            if first is not None:
                for pid in database_pids(database_url):
                    seen_db.setdefault(pid, cpu_seconds([pid]))
            time.sleep(0.2)
        if first is None:
            raise SystemExit("the backlog drained before it could be measured: raise --events")
        counted = len(batch) - first[0]
        spent = {part: (cpu_seconds([pid]) - first[1][part]) / counted
                 for part, pid in parts.items()}
        spent["PostgreSQL"] = sum(
            cpu_seconds([pid]) - before for pid, before in seen_db.items()
        ) / counted
        times = receipts.times(batch)
        throughput = len(batch) / (max(times) - min(times))

        latencies, achieved, committer_cpu = paced_run(
            services, applicants, args.latency_events, args.rate, receipts
        )
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        services.close()

    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print("webhook deliveries: 1 worker process (RQ SimpleWorker), PostgreSQL outbox, "
          "receiver on loopback verifying every signature")
    print(f"throughput   {throughput:8.0f} deliveries/s per worker   (target >= 500; "
          f"{args.events} events drained)")
    print(f"latency      p50 {p50:6.0f} ms   p95 {p95:6.0f} ms   at {achieved:.0f} events/s "
          f"committed ({args.latency_events} events over {args.employers} employers; "
          f"target p95 <= 1000 ms)")
    print(f"committer    {achieved:8.0f} events/s at most {args.rate:.0f} asked, "
          f"{committer_cpu * 1e6:.0f} us CPU per event (use case and transaction, this process)")
    print(f"signatures   {receipts.invalid} invalid of {len(receipts.deliveries)} deliveries")
    print("CPU per delivery while draining the backlog, each part its own process: " + ", ".join(
        f"{part} {seconds * 1e6:.0f} us" for part, seconds in spent.items()))


if __name__ == "__main__":
    main()
