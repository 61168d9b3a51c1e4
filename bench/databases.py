"""The benchmarks' PostgreSQL databases: made fresh, or made when missing (`DATABASE_URL` style URLs)."""

import contextlib
import urllib.parse


@contextlib.contextmanager
def _server(url):
    """(cursor on the server's `postgres` database, autocommit; the name of the database in `url`)."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                             password=parts.password, dbname="postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            yield cursor, parts.path.lstrip("/")
    finally:
        admin.close()


def fresh_database(url):
    """Drop the database of `url` if it exists and create it empty."""
    from psycopg2 import sql

    with _server(url) as (cursor, name):
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_database(url):
    """Create the database of `url` unless it exists; True when it was created."""
    from psycopg2 import sql

    with _server(url) as (cursor, name):
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            return False
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True
