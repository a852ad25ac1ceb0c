"""A hot statement answers exactly what the session's cursor answers, raises what psycopg
raises, and leaves a connection in a transaction to the cursor."""

import psycopg
import pytest
from psycopg import errors
from psycopg.pq import TransactionStatus

from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.hot_statement import HotStatement
from itmj_adapters.postgres.session import Session

pytestmark = pytest.mark.postgres

_ROWS = HotStatement("test_rows", """
SELECT n, n::text, timestamptz '2026-01-01 00:00Z' - make_interval(days => n), ARRAY[n, n + 1],
       CASE WHEN n > %s THEN NULL ELSE 'kept' END
FROM generate_series(1, 3) AS n WHERE n >= %s ORDER BY 1
""")


@pytest.fixture
def connection(clean_database):
    pool = open_pool(clean_database, max_size=1)
    with pool.connection() as connection:
        connection.autocommit = True
        yield connection
    pool.close()


def test_a_hot_statement_answers_what_the_cursor_answers(connection):
    session = Session(connection, read_only=True)
    for params in [(1, 2), (0, 1), (5, 3)]:
        assert session.one_hot(_ROWS, params) == session.one(_ROWS.query, params)
    assert session.one_hot(_ROWS, (1, 4)) is None


def test_a_statement_deallocated_behind_its_back_is_prepared_again(connection):
    session = Session(connection, read_only=True)
    assert session.one_hot(_ROWS, (1, 2)) is not None
    connection.execute("DEALLOCATE ALL")
    assert session.one_hot(_ROWS, (1, 2)) is not None


def test_the_server_error_is_raised_as_psycopg_raises_it(connection):
    session = Session(connection, read_only=True)
    with pytest.raises(errors.DivisionByZero):
        session.one_hot(HotStatement("test_division", "SELECT 1 / %s"), (0,))
    assert session.one_hot(_ROWS, (1, 2)) is not None


def test_a_connection_that_broke_raises_an_operational_error(connection, clean_database):
    session = Session(connection, read_only=True)
    with psycopg.connect(clean_database, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.info.backend_pid])
    with pytest.raises(psycopg.OperationalError):
        session.one_hot(_ROWS, (1, 2))


def test_in_a_transaction_the_statement_runs_through_the_cursor_inside_it(connection):
    connection.autocommit = False
    session = Session(connection, read_only=False)
    row = session.one_hot(_ROWS, (1, 2))
    # psycopg saw the statement, so it opened the transaction first.
    assert connection.info.transaction_status == TransactionStatus.INTRANS
    assert row == session.one(_ROWS.query, (1, 2))
    connection.rollback()
