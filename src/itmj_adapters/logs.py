"""The process's log: one line per record on stderr, JSON or readable text, every line with
its time, level, logger and the request id of the work it belongs to.

Structured fields travel as ``extra`` (``log.info("request", extra={"status": 200})``): the
JSON form writes them as members, the text form as ``name=value`` after the message. Nothing
here ships logs anywhere; stderr is collected by whatever runs the process.
"""

import functools
import itertools
import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from itmj_adapters.request_context import current_request_id
from itmj_adapters.settings import LogFormat, Settings

# How many attributes a LogRecord has once made: the caller's ``extra`` follows them, in the
# order it was given (a record's attributes are a dict, which keeps the order they were set).
_STANDARD_COUNT = len(vars(logging.LogRecord("", 0, "", 0, "", None, None)))
# Set on a record after it is made, by formatting it; never the caller's.
_LATER = frozenset({"message", "asctime", "request_id"})
ACCESS = "request"
# What JSONEncoder(ensure_ascii=False) writes a string as.
_string = encode_basestring
# Built once: json.dumps with any option builds a new encoder for every line. A line's
# fields are flat, so there is no cycle to look for.
_encode = json.JSONEncoder(default=str, ensure_ascii=False, check_circular=False).encode


def fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's structured fields (its ``extra``), the request id first."""
    return _with_fields({}, *_extra(record))


def _extra(record: logging.LogRecord) -> tuple[str | None, Iterator[tuple[str, Any]]]:
    """The record's request id, and its other structured fields. They are read by position,
    not by comparing every attribute name with a record's: the access line is written for
    every request (its cost is measured by ``bench/http --compare observability``)."""
    attributes = vars(record)
    return attributes.get("request_id"), (
        (name, value)
        for name, value in itertools.islice(attributes.items(), _STANDARD_COUNT, None)
        if name not in _LATER
    )


def _with_fields(
    line: dict[str, Any], request_id: str | None, extra: Iterable[tuple[str, Any]]
) -> dict[str, Any]:
    """``line`` with the structured fields added, the request id first (the work's own
    when the caller gave none)."""
    request_id = request_id or current_request_id()
    if request_id is not None:
        line["request_id"] = request_id
    line.update(extra)
    return line


@functools.lru_cache(maxsize=4)
def _to_the_second(whole: int) -> str:
    return datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _time(created: float) -> str:
    """UTC to the millisecond, ``2026-01-05T10:00:00.123Z``; the part up to the second is
    kept from earlier lines, as most lines of a busy process share it."""
    whole = int(created)
    # Rounded to the microsecond first, as datetime.fromtimestamp does.
    micros = round((created - whole) * 1e6)
    if micros >= 1_000_000:
        whole, micros = whole + 1, micros - 1_000_000
    return f"{_to_the_second(whole)}.{micros // 1000:03d}Z"


class _Lines(logging.Formatter):
    """A formatter that also writes a line from its parts, without a record (``info``)."""

    def format(self, record: logging.LogRecord) -> str:
        request_id, extra = _extra(record)
        exception = self.formatException(record.exc_info) if record.exc_info else None
        return self.line(
            record.created, record.levelname, record.name, record.getMessage(), request_id,
            extra, exception,
        )

    def line(
        self, created: float, level: str, logger: str, message: str, request_id: str | None,
        extra: Iterable[tuple[str, Any]], exception: str | None = None,
    ) -> str:
        raise NotImplementedError


class JsonFormatter(_Lines):
    def line(
        self, created: float, level: str, logger: str, message: str, request_id: str | None,
        extra: Iterable[tuple[str, Any]], exception: str | None = None,
    ) -> str:
        fields = _with_fields({}, request_id, extra)
        if exception is not None:
            fields["exception"] = exception
        # The time needs no escaping; the members after the head are encoded as one object,
        # whose opening brace gives way to the head's.
        head = f'{{"time": "{_time(created)}", {_head(level, logger, message)}'
        return f"{head}, {_encode(fields)[1:]}" if fields else f"{head}}}"


@functools.lru_cache(maxsize=256)
def _head(level: str, logger: str, message: str) -> str:
    """The level, logger and message members, encoded once for the many lines that share
    them (every access line does)."""
    return _encode({"level": level, "logger": logger, "message": message})[1:-1]


class TextFormatter(_Lines):
    def line(
        self, created: float, level: str, logger: str, message: str, request_id: str | None,
        extra: Iterable[tuple[str, Any]], exception: str | None = None,
    ) -> str:
        pairs = " ".join(
            f"{name}={value}" for name, value in _with_fields({}, request_id, extra).items()
        )
        line = f"{_time(created)} {level:<7} {logger}: {message}"
        line = f"{line} {pairs}" if pairs else line
        return f"{line}\n{exception}" if exception is not None else line


class _OurHandler(logging.StreamHandler):
    """Marks the handler this module installs, so configuring twice replaces it."""


def info(log: logging.Logger, message: str, extra: dict[str, Any]) -> None:
    """``log.info(message, extra=extra)``, for a line written on every request.

    Where every record of the process goes to the handler ``configure`` installed and to
    nothing else (as in every itmj command), the line is written straight to that handler,
    as its formatter writes the record: making the record and passing it down the logger
    chain costs more than the line itself (``bench/http --compare observability``). Anywhere
    else (a test's log capture, an embedding application's own handlers or filters) the
    record goes through ``logging`` as usual. ``extra`` names no attribute of a LogRecord,
    as ``logging`` requires of it."""
    if not log.isEnabledFor(logging.INFO):
        return
    handler = _sole_handler(log)
    if handler is None or not isinstance(handler.formatter, _Lines):
        log.info(message, extra=extra)
        return
    _write(handler, log, message, handler.formatter.line(
        time.time(), "INFO", log.name, message, extra.get("request_id"),
        ((name, value) for name, value in extra.items() if name not in _LATER),
    ))


def access(
    log: logging.Logger, request_id: str, method: str, route: str, status: int,
    duration_ms: float, caller: tuple[int, str] | None,
) -> None:
    """The access line of one request: ``info(log, "request", extra)`` with the request id,
    method, route, status and duration, then the caller's employer id and key prefix when
    known. Where ``info`` would write straight to the handler, the line is put together
    from its one shape instead of field by field, which is half its cost in JSON and a
    fifth of the whole request's logging in text; a property test holds the lines equal."""
    if not log.isEnabledFor(logging.INFO):
        return
    handler = _sole_handler(log)
    formatter = None if handler is None else type(handler.formatter)
    if handler is not None and formatter is JsonFormatter:
        line = (
            f'{{"time": "{_time(time.time())}", {_head("INFO", log.name, ACCESS)}, '
            f'"request_id": {_string(request_id)}, "method": {_string(method)}, '
            f'"route": {_string(route)}, "status": {status!r}, "duration_ms": {duration_ms!r}'
        )
        if caller is not None:
            line += f', "employer_id": {caller[0]!r}, "key_prefix": {_string(caller[1])}'
        _write(handler, log, ACCESS, line + "}")
        return
    if handler is not None and formatter is TextFormatter:
        line = (
            f"{_time(time.time())} INFO    {log.name}: {ACCESS} request_id={request_id} "
            f"method={method} route={route} status={status} duration_ms={duration_ms}"
        )
        if caller is not None:
            line += f" employer_id={caller[0]} key_prefix={caller[1]}"
        _write(handler, log, ACCESS, line)
        return
    extra: dict[str, Any] = {
        "request_id": request_id, "method": method, "route": route, "status": status,
        "duration_ms": duration_ms,
    }
    if caller is not None:
        extra["employer_id"], extra["key_prefix"] = caller
    info(log, ACCESS, extra)


def _write(handler: "_OurHandler", log: logging.Logger, message: str, line: str) -> None:
    handler.acquire()
    try:
        stream = handler.stream
        stream.write(line + handler.terminator)
        # What ``handler.flush`` does, but for taking the lock held here once more.
        stream.flush()
    except Exception:
        # As a handler does: the failure is reported on stderr, never raised to the caller.
        handler.handleError(log.makeRecord(log.name, logging.INFO, "", 0, message, (), None))
    finally:
        handler.release()


def _sole_handler(log: logging.Logger) -> _OurHandler | None:
    """The handler ``configure`` installed, when ``log``'s records would reach it and
    nothing else."""
    root = logging.root
    if len(root.handlers) != 1 or root.filters:
        return None
    handler = root.handlers[0]
    if (
        not isinstance(handler, _OurHandler) or handler.filters
        or handler.level > logging.INFO
    ):
        return None
    node: logging.Logger | None = log
    while node is not None and node is not root:
        if node.handlers or node.filters or not node.propagate:
            return None
        node = node.parent
    return handler


def configure(settings: Settings) -> None:
    """Send the root logger's records to stderr in the configured format and level; called
    once by each process's entry point (and again harmlessly)."""
    handler = _OurHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if settings.effective_log_format is LogFormat.JSON else TextFormatter()
    )
    root = logging.getLogger()
    # Ours from an earlier call, and the NullHandler that keeps a command quiet until its
    # log is opened (``itmj_cli.main``): left there, every record would have two handlers.
    for previous in [
        h for h in root.handlers if isinstance(h, _OurHandler) or type(h) is logging.NullHandler
    ]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # No formatter of ours or gunicorn's writes the caller's file and line or thread, so
    # records need not find them (the logging HOWTO's "Optimization"): a stack walk per line;
    # nor the process's name, which every line would otherwise look up (its id stays: plain
    # gunicorn's own format writes it).
    logging._srcfile = None
    logging.logThreads = False
    logging.logMultiprocessing = False
