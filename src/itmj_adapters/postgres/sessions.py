"""Portal sessions in PostgreSQL: the shared store of several server processes when there is
a database but no Redis. Outside any unit of work: a session is not part of what a use case
changes. The database's own clock times the rows out; ended rows are deleted as new ones are
written."""

from datetime import timedelta

from psycopg_pool import ConnectionPool

from itmj_adapters import session_encoding
from itmj_domain.sessions import PortalSession

_GET = "SELECT data FROM portal_sessions WHERE id_hash = %s AND expires_at > now()"
_PUT = """
INSERT INTO portal_sessions (id_hash, data, expires_at) VALUES (%s, %s, now() + %s)
ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at
"""
_DELETE = "DELETE FROM portal_sessions WHERE id_hash = %s"
# A few at a time, so no write ever waits on a big clean-up.
_DELETE_ENDED = """
DELETE FROM portal_sessions WHERE id_hash IN (
    SELECT id_hash FROM portal_sessions WHERE expires_at <= now() LIMIT 10
    FOR UPDATE SKIP LOCKED
)
"""


class PostgresSessionStore:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def get(self, session_id: str) -> PortalSession | None:
        with self._pool.connection() as conn:
            row = conn.execute(_GET, (session_encoding.stored_id(session_id),)).fetchone()
        return None if row is None else session_encoding.decode(session_id, row[0])

    def put(self, session: PortalSession, ttl: timedelta) -> None:
        stored = session_encoding.stored_id(session.id)
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(_PUT, (stored, session_encoding.encode(session), ttl))
            conn.execute(_DELETE_ENDED)

    def delete(self, session_id: str) -> None:
        with self._pool.connection() as conn:
            conn.execute(_DELETE, (session_encoding.stored_id(session_id),))
