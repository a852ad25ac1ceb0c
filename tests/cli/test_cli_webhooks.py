"""``itmj application …`` and ``itmj webhook …`` on PostgreSQL, with a real receiver."""

import json
import time
from datetime import UTC, datetime

import pytest

from itmj_adapters.clock import SystemClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_cli import views
from itmj_domain.webhooks.subscriptions import EventType, Subscription
from tests.adapters.receiver import Receiver
from tests.secret_keys import TEST_KEYS, TEST_SECRET_KEYS
from tests.use_cases.test_webhooks import active_job, candidate, partner_verifies

pytestmark = pytest.mark.postgres


@pytest.fixture
def world(clean_database):
    """An employer with an Active job and a candidate, made through the services."""
    services = build_services(
        Settings(database_url=clean_database, secret_keys=TEST_KEYS), clock=SystemClock()
    )
    try:
        employer = services.accounts.create_employer("Acme")
        job = active_job(services, employer.id)
        yield {
            "environ": {
                "ITMJ_DATABASE_URL": clean_database,
                "ITMJ_SECRET_KEYS": TEST_SECRET_KEYS,
                "ITMJ_WEBHOOK_ALLOW_PRIVATE": "1",
            },
            "employer": employer.id,
            "job": job.id,
            "candidate": candidate(services, SystemClock()),
        }
    finally:
        services.close()


def test_subscribe_apply_move_and_inspect_deliveries(run_cli, world):
    env = world["environ"]
    with Receiver() as receiver:
        added = run_cli(["webhook", "add", "--employer", str(world["employer"]),
                         "--url", receiver.url, "--event", "application.submitted",
                         "--event", "application.status_changed"], env).json()
        assert added["secret"].startswith("whsec_")
        assert added["events"] == ["application.status_changed", "application.submitted"]

        submitted = run_cli(["application", "submit", "--job", str(world["job"]),
                             "--candidate", str(world["candidate"]), "--type", "EmailApply"],
                            env).json()
        assert (submitted["status"], submitted["applicationType"]) == ("New", "EmailApply")
        moved = run_cli(["application", "move", str(submitted["id"]), "--status", "Screened"],
                        env).json()
        assert moved["status"] == "Screened"
    assert [json.loads(r.body)["event"] for r in receiver.received] == [
        "application.submitted", "application.status_changed",
    ]

    [listed] = run_cli(["webhook", "list", "--employer", str(world["employer"])], env).json()
    assert "secret" not in listed
    assert listed["enabled"] is True
    assert (listed["standardWebhooks"], listed["previousSecretSignsUntil"]) == (True, None)
    assert "note" not in listed
    delivered = run_cli(["webhook", "deliveries", "--subscription", str(added["id"]),
                         "--status", "delivered"], env).json()
    assert [d["attempts"] for d in delivered] == [1, 1]
    # Each event records the command that caused it: the submission, then the move.
    request_ids = {d["requestId"] for d in delivered}
    assert len(request_ids) == 2 and all(r.startswith("cli_") for r in request_ids)
    assert {d["id"] for d in delivered} == {
        r.headers["X-Webhook-Delivery-Id"] for r in receiver.received
    }


def test_disable_holds_and_enable_resumes_then_rotate_redeliver_and_delete(run_cli, world):
    env = {**world["environ"], "ITMJ_WEBHOOK_RETRY_DELAYS": ",".join(["0.2"] * 8)}
    with Receiver(status=500) as receiver:
        added = run_cli(["webhook", "add", "--employer", str(world["employer"]),
                         "--url", receiver.url, "--event", "application.submitted"], env).json()
        sid = str(added["id"])
        run_cli(["application", "submit", "--job", str(world["job"]),
                 "--candidate", str(world["candidate"])], env).json()
        [failed] = run_cli(["webhook", "deliveries", "--subscription", sid], env).json()
        assert (failed["status"], failed["attempts"], failed["lastError"]) == (
            "pending", 1, "HTTP 500"
        )
        assert run_cli(["webhook", "disable", sid], env).json()["enabled"] is False
        time.sleep(0.3)
        receiver.status = 200
        assert run_cli(["webhook", "enable", sid], env).json()["enabled"] is True
        assert len(receiver.received) == 2
        [done] = run_cli(["webhook", "deliveries", "--subscription", sid], env).json()
        assert (done["id"], done["status"], done["attempts"]) == (failed["id"], "delivered", 2)

        rotated = run_cli(["webhook", "rotate-secret", sid], env).json()
        assert rotated["secret"] != added["secret"]
        assert rotated["previousSecretSignsUntil"] is not None
        replayed = run_cli(["webhook", "redeliver", done["id"]], env).json()
        assert (replayed["id"], replayed["status"], replayed["attempts"]) == (
            done["id"], "pending", 0
        )
        assert len(receiver.received) == 3
        [again] = run_cli(["webhook", "deliveries", "--subscription", sid], env).json()
        assert (again["status"], again["attempts"]) == ("delivered", 1)

    assert run_cli(["webhook", "delete", sid], env).json() == {"id": added["id"], "deleted": True}
    assert run_cli(["webhook", "list", "--employer", str(world["employer"])], env).json() == []


def test_a_committed_application_is_reported_when_redis_is_down_and_delivered_later(
    run_cli, world, clean_database, caplog
):
    """The queue's nudge is lost, not the application: the command succeeds, once, and the
    scheduler's sweep (here, a dispatch without Redis) delivers the event it committed."""
    closed = {**world["environ"], "ITMJ_REDIS_URL": "redis://127.0.0.1:1/0"}
    with Receiver() as receiver:
        run_cli(["webhook", "add", "--employer", str(world["employer"]),
                 "--url", receiver.url, "--event", "application.submitted"], world["environ"])
        submitted = run_cli(["application", "submit", "--job", str(world["job"]),
                             "--candidate", str(world["candidate"])], closed)
        assert submitted.json()["status"] == "New"
        assert receiver.received == []
        assert "task dispatch not queued: Redis unreachable" in caplog.text
        sweep = build_services(Settings(
            database_url=clean_database, webhook_allow_private=True, secret_keys=TEST_KEYS
        ))
        try:
            sweep.webhook_delivery.dispatch()
        finally:
            sweep.close()
    [received] = receiver.received
    assert json.loads(received.body)["data"]["applicationId"] == submitted.json()["id"]


def test_a_test_event_is_delivered_signed_and_logged_with_the_status_code(run_cli, world):
    env = world["environ"]
    with Receiver(status=202) as receiver:
        added = run_cli(["webhook", "add", "--employer", str(world["employer"]),
                         "--url", receiver.url, "--event", "job.expired"], env).json()
        sent = run_cli(["webhook", "test", str(added["id"])], env).json()
    [received] = receiver.received
    assert received.headers["X-Webhook-Event"] == "webhook.test"
    assert received.headers["X-Webhook-Delivery-Id"] == sent["id"]
    assert partner_verifies(added["secret"], received.headers["X-Webhook-Signature"],
                            received.body, int(time.time()))
    [logged] = run_cli(["webhook", "deliveries", "--subscription", str(added["id"])], env).json()
    assert (logged["id"], logged["status"], logged["lastStatusCode"]) == (
        sent["id"], "delivered", 202
    )


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["webhook", "add", "--employer", "1", "--url", "https://x.example", "--event", "job.made"],
         2, "job.made"),
        (["webhook", "enable", "999"], 1, "itmj: subscription 999 not found"),
        (["webhook", "add", "--employer", "1", "--url", "https://x.example",
          "--event", "webhook.test"], 1, "webhook.test cannot be subscribed to"),
        (["webhook", "add", "--employer", "1", "--url", "ftp://x.example",
          "--event", "job.expired"], 1, "url"),
        (["application", "move", "999", "--status", "Hired"], 1,
         "itmj: application 999 not found"),
        (["application", "move", "1", "--status", "Promoted"], 2, "Promoted"),
    ],
)
def test_mistakes_are_one_line_errors(run_cli, world, argv, code, message):
    result = run_cli(argv, world["environ"])
    assert result.code == code
    assert len(result.error_lines) == 1
    assert message in result.error_lines[0]


def test_background_processes_need_the_queue_and_the_database(run_cli):
    for command in ("worker", "scheduler"):
        result = run_cli([command])
        assert result.code == 1
        assert "ITMJ_REDIS_URL" in result.error_lines[0]


def test_the_list_says_a_rotation_brings_the_standard_headers_to_a_secret_issued_before():
    legacy = Subscription(
        7, 1, "https://hooks.example", frozenset({EventType.JOB_EXPIRED}),
        "whsec_" + "kX9-_q" * 7 + "Z", datetime(2026, 1, 1, tzinfo=UTC),
    )
    shown = views.subscription(legacy)
    assert shown["standardWebhooks"] is False
    assert shown["note"] == views.LEGACY_SECRET_NOTE
    assert "rotate the secret (itmj webhook rotate-secret)" in shown["note"]
    assert legacy.secret not in json.dumps(shown)
