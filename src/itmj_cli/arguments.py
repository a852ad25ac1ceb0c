"""Parsing the command line: a parser whose errors fit on one line, and argument types."""

import argparse
import enum
from datetime import UTC, datetime
from typing import NoReturn, TypeVar

from itmj_cli.output import UsageError

E = TypeVar("E", bound=enum.Enum)


class OneLineParser(argparse.ArgumentParser):
    """Reports a bad command line as one line (the usage text is one ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def utc_datetime(text: str) -> datetime:
    """ISO 8601; a date alone means midnight UTC, a time without an offset means UTC."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date such as 2026-06-01 or 2026-06-01T12:00:00Z"
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def identifier(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (a positive integer)")
    return value


def bind_address(text: str) -> str:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT")
    return text


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return int(text)


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def enum_member(kind: type[E]):
    """An argument type accepting an enum's public values (``JobPosting``, ``CvSearch``…)."""
    by_value = {member.value: member for member in kind}

    def parse(text: str) -> E:
        if text not in by_value:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not one of {', '.join(by_value)}"
            )
        return by_value[text]

    parse.__name__ = kind.__name__
    return parse


def enum_members(kind: type[E]):
    """A comma-separated list of an enum's values, as a non-empty frozenset."""
    one = enum_member(kind)

    def parse(text: str) -> frozenset[E]:
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if not parts:
            raise argparse.ArgumentTypeError("expected at least one value")
        return frozenset(one(part) for part in parts)

    parse.__name__ = kind.__name__
    return parse
