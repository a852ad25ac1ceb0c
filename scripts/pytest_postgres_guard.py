"""A pytest plugin loaded by scripts/test: a skipped PostgreSQL, browser or Node.js test fails
the run.

The suite's Postgres tests are what proves the real adapter, its browser tests what proves
the pages, and its Node.js tests what proves the TypeScript types partners generate; a skip
would let CI pass without them. A test counts as a Postgres one when it is marked
``postgres``, runs with the ``postgres`` backend parameter, or uses the test database
fixture; as a browser one when it uses Playwright's ``page``; as a Node.js one when it is
marked ``node``.
"""

import pytest

_skipped: list[str] = []


def _must_not_skip(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return (
        item.get_closest_marker("postgres") is not None
        or item.get_closest_marker("node") is not None
        or "database_url" in getattr(item, "fixturenames", ())
        or (callspec is not None and callspec.params.get("backend") == "postgres")
        or "page" in getattr(item, "fixturenames", ())
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and _must_not_skip(item):
        _skipped.append(item.nodeid)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped:
        terminalreporter.section(
            "PostgreSQL, browser or Node.js tests were skipped: failing the run", red=True
        )
        for nodeid in _skipped:
            terminalreporter.line(nodeid)
