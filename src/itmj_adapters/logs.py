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
from datetime import UTC, datetime
from typing import Any

from itmj_adapters.request_context import current_request_id
from itmj_adapters.settings import LogFormat, Settings

# How many attributes a LogRecord has once made: the caller's ``extra`` follows them, in the
# order it was given (a record's attributes are a dict, which keeps the order they were set).
_STANDARD_COUNT = len(vars(logging.LogRecord("", 0, "", 0, "", None, None)))
# Set on a record after it is made, by formatting it; never the caller's.
_LATER = frozenset({"message", "asctime", "request_id"})
# Built once: json.dumps with any option builds a new encoder for every line.
_encode = json.JSONEncoder(default=str, ensure_ascii=False).encode


def fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's structured fields (its ``extra``), the request id first."""
    return _with_fields({}, record)


def _with_fields(line: dict[str, Any], record: logging.LogRecord) -> dict[str, Any]:
    """``line`` with the record's structured fields added, the request id first. They are
    read by position, not by comparing every attribute name with a record's, and into the
    line itself: the access line is written for every request (its cost is measured by
    ``bench/http --compare observability``)."""
    attributes = vars(record)
    request_id = attributes.get("request_id") or current_request_id()
    if request_id is not None:
        line["request_id"] = request_id
    line.update(
        (name, value)
        for name, value in itertools.islice(attributes.items(), _STANDARD_COUNT, None)
        if name not in _LATER
    )
    return line


@functools.lru_cache(maxsize=4)
def _to_the_second(whole: int) -> str:
    return datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _time(record: logging.LogRecord) -> str:
    """UTC to the millisecond, ``2026-01-05T10:00:00.123Z``; the part up to the second is
    kept from earlier lines, as most lines of a busy process share it (the access log's cost
    is measured by ``bench/http --compare observability``)."""
    whole = int(record.created)
    # Rounded to the microsecond first, as datetime.fromtimestamp does.
    micros = round((record.created - whole) * 1e6)
    if micros >= 1_000_000:
        whole, micros = whole + 1, micros - 1_000_000
    return f"{_to_the_second(whole)}.{micros // 1000:03d}Z"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = _with_fields({
            "time": _time(record), "level": record.levelname, "logger": record.name,
            "message": record.getMessage(),
        }, record)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return _encode(line)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{name}={value}" for name, value in fields(record).items())
        line = f"{_time(record)} {record.levelname:<7} {record.name}: {record.getMessage()}"
        line = f"{line} {extra}" if extra else line
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


class _OurHandler(logging.StreamHandler):
    """Marks the handler this module installs, so configuring twice replaces it."""


def configure(settings: Settings) -> None:
    """Send the root logger's records to stderr in the configured format and level; called
    once by each process's entry point (and again harmlessly)."""
    handler = _OurHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if settings.effective_log_format is LogFormat.JSON else TextFormatter()
    )
    root = logging.getLogger()
    for previous in [h for h in root.handlers if isinstance(h, _OurHandler)]:
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
