"""The migration runner on a database of its own, created empty for each test."""

from concurrent.futures import ThreadPoolExecutor

import attrs
import psycopg
import pytest
from psycopg import sql
from psycopg.types.json import Jsonb

from itmj_adapters.composition import build_services
from itmj_adapters.database_schema import SchemaBehind
from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.migrations import available, migrate
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_adapters.settings import Settings
from itmj_domain.applications import ApplicationStatus
from itmj_domain.events import ApplicationStatusChanged, Event, JobExpired
from tests.cli.conftest import _run_in_process
from tests.contract.seed import CONTENT, T0, Seed
from tests.secret_keys import TEST_KEY_RING, TEST_SECRET_KEYS

pytestmark = pytest.mark.postgres


@pytest.fixture
def empty_database(database_url: str):
    name = psycopg.conninfo.conninfo_to_dict(database_url)["dbname"] + "_migrations"
    admin_url = psycopg.conninfo.make_conninfo(database_url, dbname="postgres")

    def drop(conn: psycopg.Connection) -> None:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)
        ))

    with psycopg.connect(admin_url, autocommit=True) as conn:
        drop(conn)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield psycopg.conninfo.make_conninfo(database_url, dbname=name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        drop(conn)


def _recorded(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    return [version for (version,) in rows]


def test_migrations_are_numbered_and_in_order():
    """Numbers are unique and rising; a gap is allowed, since branches in flight reserve
    their numbers before they land (migrate applies whatever a database lacks, in order)."""
    versions = [version for version, _ in available()]
    assert versions[0].startswith("0001_")
    numbers = [int(v[:4]) for v in versions]
    assert all(v[4] == "_" and v[:4].isdigit() for v in versions)
    assert numbers == sorted(set(numbers))


def test_migrate_applies_everything_once_and_records_it(empty_database):
    versions = [version for version, _ in available()]
    assert migrate(empty_database) == versions
    assert migrate(empty_database) == []
    assert _recorded(empty_database) == versions
    with psycopg.connect(empty_database) as conn:
        assert conn.execute("SELECT count(*) FROM job_posts").fetchone() == (0,)


def test_concurrent_runs_apply_each_migration_exactly_once(empty_database):
    with ThreadPoolExecutor(4) as runners:
        applied = list(runners.map(lambda _: migrate(empty_database), range(4)))
    versions = [version for version, _ in available()]
    assert sorted(v for run in applied for v in run) == versions
    assert sorted(applied, key=len)[:-1] == [[], [], []]
    assert _recorded(empty_database) == versions


def test_a_failing_migration_leaves_nothing_half_applied(empty_database):
    broken = [*available(), ("9999_broken", "CREATE TABLE half_done (id int); SELECT 1/0;")]
    with pytest.raises(psycopg.errors.DivisionByZero):
        migrate(empty_database, broken)
    assert _recorded(empty_database) == [version for version, _ in broken[:-1]]
    with psycopg.connect(empty_database) as conn:
        assert conn.execute("SELECT to_regclass('half_done')").fetchone() == (None,)


def test_services_refuse_a_database_behind_the_code_in_one_line(empty_database):
    versions = [version for version, _ in available()]
    with pytest.raises(SchemaBehind) as unmigrated:
        build_services(Settings(database_url=empty_database))
    assert unmigrated.value.missing == tuple(versions)
    migrate(empty_database, available()[:-1])
    with pytest.raises(SchemaBehind) as behind:
        build_services(Settings(database_url=empty_database))
    assert behind.value.missing == (versions[-1],)
    message = str(behind.value)
    assert "\n" not in message
    assert "itmj db migrate" in message
    assert "migrate(database_url)" in message


def test_services_build_once_migrated_and_over_a_newer_schema(empty_database, caplog):
    migrate(empty_database, [*available(), ("9999_from_a_newer_release", "SELECT 1")])
    services = build_services(Settings(database_url=empty_database))
    services.close()
    assert "9999_from_a_newer_release" in caplog.text


def test_the_cli_migrates_an_empty_database_and_other_commands_say_to(empty_database):
    run_cli = _run_in_process
    environ = {"ITMJ_DATABASE_URL": empty_database, "ITMJ_SECRET_KEYS": TEST_SECRET_KEYS}
    refused = run_cli(["employer", "create", "--name", "Acme"], environ)
    assert refused.code == 1
    [line] = refused.error_lines
    assert line.startswith("itmj: the database schema is behind this code")
    assert run_cli(["db", "migrate"], environ).json() == {
        "applied": [version for version, _ in available()]
    }
    assert run_cli(["employer", "create", "--name", "Acme"], environ).code == 0


def test_applications_made_before_0013_take_their_candidates_name_email_and_phone(
    empty_database,
):
    before = [(v, s) for v, s in available() if v < "0013"]
    migrate(empty_database, before)
    with psycopg.connect(empty_database, autocommit=True) as conn:
        conn.execute("INSERT INTO employers (id, name, created_at) VALUES (1, 'Acme', now())")
        conn.execute(
            "INSERT INTO job_posts (id, employer_id, status, title, description,"
            " employment_type, remote_type, apply_method, created_at, updated_at)"
            " VALUES (1, 1, 'Draft', 'Lead', 'Lead it.', 'FullTime', 'OnSite', 'PortalApply',"
            " now(), now())"
        )
        conn.execute(
            "INSERT INTO candidates (id, external_id, full_name, email, phone, headline,"
            " summary, skills, preferred_country_ids, last_active_at) VALUES (1, 'ext-1',"
            " 'Pat Example', 'pat@example.com', '+44 1', '', '', '{}', '{}', now())"
        )
        conn.execute(
            "INSERT INTO applications (employer_id, job_id, candidate_id, application_type,"
            " status, applied_at) VALUES (1, 1, 1, 'PortalApply', 'New', now())"
        )
    migrate(empty_database)
    with psycopg.connect(empty_database) as conn:
        row = conn.execute(
            "SELECT applicant_name, applicant_email, applicant_phone, cover_note, cv_text"
            " FROM applications"
        ).fetchone()
    assert row == ("Pat Example", "pat@example.com", "+44 1", None, None)


def test_the_event_order_migration_numbers_and_completes_the_events_already_stored(
    empty_database,
):
    """0011 numbers each employer's stored events in the order they were stored, names the
    job and its reference in their payloads, gives their deliveries subject and number, and
    numbering goes on from there."""
    # The seed writes today's rows: the columns that later migrations add to applications
    # (0013) and subscriptions (0015), which 0011 does not read, are there first.
    before = [(v, s) for v, s in available() if v < "0011" or v[:4] in ("0013", "0015")]
    migrate(empty_database, before)
    pool = open_pool(empty_database, max_size=2)
    try:
        seed = Seed(PostgresUnitOfWorkFactory(pool, TEST_KEY_RING))
        acme, other = seed.employer("Acme"), seed.employer("Other")
        job = seed.job(acme.id, content=attrs.evolve(CONTENT, reference="REQ-9"))
        application = seed.application(job, seed.candidate().id)
        subscription = seed.subscription(acme.id)
        old_payloads = [
            (acme.id, "application.submitted", {
                "application_id": application.id, "job_post_id": job.id,
                "job_title": "IT Manager", "candidate_id": application.candidate_id,
                "applied_at": T0.isoformat(), "application_type": "PortalApply"}),
            (other.id, "job.expired", {"job_post_id": 77, "expired_at": T0.isoformat()}),
            (acme.id, "application.status_changed", {
                "application_id": application.id, "previous_status": "New",
                "new_status": "Screened", "changed_at": T0.isoformat()}),
            (acme.id, "job.expired", {"job_post_id": job.id, "expired_at": T0.isoformat()}),
        ]
        with psycopg.connect(empty_database) as conn:
            for n, (employer_id, type_, payload) in enumerate(old_payloads):
                conn.execute(
                    "INSERT INTO outbox_events (id, employer_id, type, occurred_at, payload)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    (f"evt_{n}", employer_id, type_, T0, Jsonb(payload)),
                )
            conn.execute(
                "INSERT INTO webhook_deliveries (id, subscription_id, event_id, status,"
                " attempts, next_attempt_at, created_at)"
                " VALUES ('dlv_0', %s, 'evt_2', 'pending', 0, %s, %s)",
                (subscription.id, T0, T0),
            )
        migrate(empty_database)
        uow_factory = PostgresUnitOfWorkFactory(pool, TEST_KEY_RING)
        with uow_factory() as uow:
            stored = uow.outbox.get_many([f"evt_{n}" for n in range(4)])
            later = uow.outbox.add(Event.record(acme.id, T0, JobExpired(job.id, T0, "REQ-9")))
            uow.commit()
        with psycopg.connect(empty_database) as conn:
            delivery = conn.execute(
                "SELECT subject, event_sequence FROM webhook_deliveries WHERE id = 'dlv_0'"
            ).fetchone()
    finally:
        pool.close()

    assert [stored[f"evt_{n}"].sequence for n in range(4)] == [1, 1, 2, 3]
    assert later.sequence == 4
    assert stored["evt_0"].payload.reference == "REQ-9"
    assert stored["evt_2"].payload == ApplicationStatusChanged(
        application.id, ApplicationStatus.NEW, ApplicationStatus.SCREENED, T0, job.id, "REQ-9"
    )
    assert stored["evt_3"].payload == JobExpired(job.id, T0, "REQ-9")
    assert stored["evt_1"].payload == JobExpired(77, T0)
    assert delivery == (f"application:{application.id}", 2)


def test_after_0018_the_previous_releases_rate_limit_call_counts_leases_as_places(
    empty_database,
):
    """During a rolling upgrade the previous release still calls itmj_rate_limit_hit: the
    places it counted before 0018 stay one each, and it counts a lease's places, as they come
    and as they leave the window together, the way itmj_rate_limit_take does."""
    migrate(empty_database, [(v, s) for v, s in available() if v < "0018"])
    hit = "SELECT * FROM itmj_rate_limit_hit('jobs', 'k', %s, 60000, 10)"
    take = "SELECT * FROM itmj_rate_limit_take('jobs', 'k', %s, 60000, 10, %s, 1000)"
    with psycopg.connect(empty_database, autocommit=True) as conn:
        assert conn.execute(hit, [0]).fetchone() == (True, 1, 0, 0)
        assert conn.execute(hit, [1000]).fetchone() == (True, 2, 0, 1000)
    migrate(empty_database)
    with psycopg.connect(empty_database, autocommit=True) as conn:
        # Five places leased at 2000 count at the lease's end.
        assert conn.execute(take, [2000, 5]).fetchone() == (5, 7, 0, 3000)
        assert conn.execute(hit, [2500]).fetchone() == (True, 8, 0, 3000)
        # Two places left: a lease gets them, and the next call is refused.
        assert conn.execute(take, [2600, 5]).fetchone() == (2, 10, 0, 3600)
        assert conn.execute(hit, [2700]).fetchone() == (False, 10, 0, 3600)
        assert conn.execute(hit, [60_000]).fetchone() == (True, 10, 1000, 60_000)
        # The places at 1000, 2500 and the lease's five at 3000 leave together: seven.
        assert conn.execute(hit, [63_000]).fetchone() == (True, 4, 3600, 63_000)
        assert conn.execute(
            "SELECT places, latest, expires_ms FROM rate_limit_windows"
        ).fetchone() == (4, 63_000, 123_000)
