"""The optional drivers, and the one clear line when one is missing.

The core install brings the domain and the in-memory adapters; each extra brings the
drivers of one backend. Every import of a driver sits where it is used, inside
``requires(extra)``, which turns the ImportError of a missing driver into ``MissingExtra``:
``PostgreSQL support is not installed: pip install 'itmj-platform[postgres]'``.
"""

from collections.abc import Iterator
from contextlib import contextmanager

DISTRIBUTION = "itmj-platform"

# extra -> (what it brings, the top-level modules its packages install)
EXTRAS: dict[str, tuple[str, frozenset[str]]] = {
    "postgres": ("PostgreSQL support", frozenset({"psycopg", "psycopg_pool", "psycopg_binary"})),
    "redis": ("Redis support (RQ, the rate limiter, sessions)", frozenset({"redis", "rq"})),
    "elasticsearch": (
        "Elasticsearch support", frozenset({"elasticsearch", "elastic_transport"})
    ),
    "http": (
        "HTTP support (the API, the portal, its password hashes and uploaded CVs)",
        frozenset({"falcon", "gunicorn", "jinja2", "argon2", "pypdf", "docx"}),
    ),
    "metrics": ("Prometheus metrics", frozenset({"prometheus_client"})),
}


class MissingExtra(ImportError):
    """A driver this configuration needs is not installed; the message says which extra
    brings it."""

    def __init__(self, extra: str) -> None:
        what, _ = EXTRAS[extra]
        super().__init__(f"{what} is not installed: pip install '{DISTRIBUTION}[{extra}]'")
        self.extra = extra


@contextmanager
def requires(extra: str) -> Iterator[None]:
    """Import the drivers of ``extra`` inside this block: a missing one raises
    ``MissingExtra``; any other ImportError passes through unchanged."""
    _, modules = EXTRAS[extra]
    try:
        yield
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] in modules:
            raise MissingExtra(extra) from error
        raise
