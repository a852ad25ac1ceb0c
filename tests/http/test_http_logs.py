"""Logs and the request id's journey: one access line per request, the id on the events a
request writes and in the delivery log, and no secret in any line."""

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import attrs
import pytest
from falcon.testing import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from itmj_adapters import logs, request_context
from itmj_adapters.logs import JsonFormatter, TextFormatter
from itmj_adapters.settings import LogFormat, Mode, Settings
from itmj_domain.applications import ApplicationStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.subscriptions import EventType
from itmj_http.app import create_app
from tests.http.support import JOBS, create_job
from tests.use_cases.test_webhooks import candidate


def _access(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "itmj.access"]


def test_one_access_line_per_request_with_the_route_template(api, partner, caplog):
    job = create_job(api)["id"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="itmj.access"):
        api.simulate_get(f"{JOBS}/{job}", headers={"X-Request-Id": "trace-1"})
    [line] = _access(caplog)
    assert (line.method, line.route, line.status) == ("GET", "/api/v1/jobs/{job_id}", 200)
    assert line.duration_ms >= 0
    assert line.employer_id == partner.employer_id
    assert line.key_prefix == partner.key[:14] and len(line.key_prefix) == 14
    assert json.loads(JsonFormatter().format(line))["request_id"] == "trace-1"


def test_the_benchmark_switch_takes_request_ids_and_access_lines_away(services, partner,
                                                                     caplog):
    bare = attrs.evolve(services, settings=attrs.evolve(services.settings, request_ids=False))
    with caplog.at_level(logging.INFO, logger="itmj.access"):
        result = TestClient(create_app(bare), headers=partner.bearer).simulate_get(JOBS)
    assert result.status_code == 200
    assert "X-Request-Id" not in result.headers
    assert _access(caplog) == []


def test_an_unauthenticated_or_unrouted_request_names_no_caller_and_no_path(client, caplog):
    with caplog.at_level(logging.INFO, logger="itmj.access"):
        client.simulate_get(JOBS)
        client.simulate_get("/secret/token-in-the-path")
    refused, unrouted = _access(caplog)
    assert (refused.status, refused.route) == (401, JOBS)
    assert not hasattr(refused, "employer_id")
    assert (unrouted.status, unrouted.route) == (404, "unmatched")


def test_both_formats_write_the_fields():
    record = logging.LogRecord("itmj.access", logging.INFO, "", 0, "request", None, None)
    record.status = 200
    with request_context.bound("r-9"):
        text = TextFormatter().format(record)
        line = json.loads(JsonFormatter().format(record))
    assert "request request_id=r-9 status=200" in text
    assert (line["message"], line["request_id"], line["status"]) == ("request", "r-9", 200)


def test_the_fields_are_the_callers_extra_in_its_order_whatever_formatted_the_record():
    log = logging.getLogger("itmj.test")
    record = log.makeRecord(log.name, logging.INFO, "", 0, "request", (), None,
                            extra={"status": 200, "route": "/r", "request_id": "r-1"})
    logging.Formatter("%(asctime)s %(message)s").format(record)
    lines = [json.loads(JsonFormatter().format(record)) for _ in range(2)]
    assert lines[0] == lines[1]
    assert list(lines[0])[4:] == ["request_id", "status", "route"]


def test_the_event_a_request_writes_records_its_id_up_to_the_delivery_log(
    api, partner, services, clock
):
    job = create_job(api)["id"]
    assert api.simulate_post(f"{JOBS}/{job}/publish").status_code == 200
    subscription = services.webhooks.subscribe(
        partner.employer_id, "https://hooks.example.com/in",
        frozenset({EventType.APPLICATION_STATUS_CHANGED}),
    ).subscription
    application = services.applications.submit(job, candidate(services, clock))
    with request_context.bound("trace-42"):
        services.applications.move(application.id, ApplicationStatus.SCREENED)
    services.webhook_delivery.relay()
    [line] = services.webhooks.delivery_log(subscription.id, None, PageRequest(1, 10)).items
    assert line.request_id == "trace-42"


@pytest.mark.parametrize(("variable", "value"), [
    ("ITMJ_LOG_FORMAT", "xml"), ("ITMJ_LOG_LEVEL", "LOUD"),
])
def test_a_bad_log_setting_names_its_variable(variable, value):
    with pytest.raises(ValueError, match=variable):
        Settings.from_environ({variable: value})


def test_logs_are_json_in_production_and_text_elsewhere():
    assert Settings().effective_log_format is LogFormat.JSON
    assert Settings(mode=Mode.DEMO).effective_log_format is LogFormat.TEXT
    assert Settings.from_environ(
        {"ITMJ_LOG_FORMAT": "text", "ITMJ_LOG_LEVEL": "debug"}
    ) == Settings(log_format=LogFormat.TEXT, log_level="DEBUG")


@pytest.mark.parametrize("created", [0.0, 139793189.86599964, 1767225599.9999996, 1.7e9 + 0.0005])
def test_the_time_is_utc_to_the_millisecond_as_datetime_writes_it(created):
    record = logging.LogRecord("itmj.access", logging.INFO, "", 0, "request", None, None)
    record.created = created
    expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    assert json.loads(JsonFormatter().format(record))["time"] == expected.replace("+00:00", "Z")


@contextmanager
def configured(log_format: LogFormat, level: str = "INFO") -> Iterator[io.StringIO]:
    """The process's logging as every itmj command configures it, and nothing else (not
    even pytest's capture), writing to a string."""
    root = logging.getLogger()
    kept = root.handlers[:], root.level
    # As ``itmj_cli.main`` leaves it, until the log is opened.
    root.handlers[:] = [logging.NullHandler()]
    logs.configure(Settings(log_format=log_format, log_level=level))
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    try:
        yield stream
    finally:
        root.handlers[:] = kept[0]
        root.setLevel(kept[1])


@pytest.mark.parametrize("log_format", list(LogFormat))
def test_a_line_written_straight_is_the_line_the_record_would_give(log_format, monkeypatch):
    log = logging.getLogger("itmj.access")
    extra = {"request_id": "r-7", "method": "GET", "status": 200, "duration_ms": 1.5}
    with configured(log_format) as stream, request_context.bound("not-this-one"):
        with monkeypatch.context() as straight:
            straight.setattr(logging.Logger, "makeRecord", _no_record)
            logs.info(log, "request", extra)
        log.info("request", extra=dict(extra))
    straight, through_logging = stream.getvalue().splitlines()
    assert _without_time(straight, log_format) == _without_time(through_logging, log_format)
    assert "r-7" in straight and "not-this-one" not in straight


def test_a_line_goes_through_logging_where_anything_else_would_see_it():
    log = logging.getLogger("itmj.access")
    seen: list[logging.LogRecord] = []
    with configured(LogFormat.JSON) as stream:
        log.addFilter(lambda record: seen.append(record) or True)
        try:
            logs.info(log, "request", {"status": 201})
        finally:
            log.filters.clear()
    [record] = seen
    assert record.status == 201  # type: ignore[attr-defined]
    assert json.loads(stream.getvalue())["status"] == 201


def test_a_line_below_the_level_is_not_written():
    with configured(LogFormat.JSON, "WARNING") as stream:
        logs.info(logging.getLogger("itmj.access"), "request", {"status": 200})
    assert stream.getvalue() == ""


@pytest.mark.parametrize(("message", "extra"), [
    ("request", {"status": 200, "route": "/api/v1/jobs/{job_id}", "duration_ms": 1.25}),
    ('said "hi"\\ to café\n', {"who": "zoë", "none": None}),
    ("", {}),
])
def test_a_json_line_is_the_object_json_writes(message, extra):
    record = logging.getLogger("itmj.x").makeRecord(
        "itmj.x", logging.WARNING, "", 0, message, (), None, extra=extra)
    expected = {"time": None, "level": "WARNING", "logger": "itmj.x", "message": message}
    with request_context.bound(None):
        line = JsonFormatter().format(record)
    expected["time"] = json.loads(line)["time"]
    assert line == json.dumps(expected | extra, ensure_ascii=False)


# Any text, with what JSON must escape often among it.
_TEXT = st.text(st.sampled_from('"\\/\n\t\x00\x1f\u2028é ') | st.characters(), max_size=40)
# What a request id is (``request_context.is_sane``): the access line never has another.
_REQUEST_ID = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1,
                      max_size=128)


@settings(max_examples=200, deadline=None)
@given(
    request_id=_REQUEST_ID, method=_TEXT, route=_TEXT, status=st.integers(100, 599),
    duration_ms=st.floats(0, 1e7, allow_nan=False, allow_infinity=False),
    caller=st.none() | st.tuples(st.integers(1, 2**40), _TEXT),
    log_format=st.sampled_from(list(LogFormat)),
)
def test_an_access_line_is_the_line_its_record_would_give(
    request_id, method, route, status, duration_ms, caller, log_format
):
    log = logging.getLogger("itmj.access")
    extra = {"request_id": request_id, "method": method, "route": route, "status": status,
             "duration_ms": duration_ms}
    if caller is not None:
        extra["employer_id"], extra["key_prefix"] = caller
    with configured(log_format) as straight:
        logs.access(log, request_id, method, route, status, duration_ms, caller)
    with configured(log_format) as through_logging:
        log.info("request", extra=extra)
    assert _without_time(straight.getvalue(), log_format) == _without_time(
        through_logging.getvalue(), log_format)


def _no_record(*_args: object, **_kwargs: object) -> logging.LogRecord:
    raise AssertionError("the line was to be written without a record")


def _without_time(line: str, log_format: LogFormat) -> str:
    if log_format is LogFormat.JSON:
        assert line.startswith('{"time": "')
        return line[len('{"time": "2026-01-01T00:00:00.000Z", '):]
    return line.split(" ", 1)[1]
