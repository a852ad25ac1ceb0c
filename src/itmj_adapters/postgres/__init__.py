"""PostgreSQL adapters: the repositories and unit of work over a psycopg connection pool,
the schema migrations, and the database health probe."""
