"""Shared by the framework round trips: run sqlite2pg on a file the framework wrote, compare rows."""

import os
import subprocess
import sys
from urllib.parse import urlsplit


def migrate(sqlite_path, database_url, expect=0, schema="none"):
    """Run the sqlite2pg binary (SQLITE2PG) into an existing schema; returns its stderr."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SQLITE_PATH": sqlite_path,
        "DATABASE_URL": database_url,
        "SCHEMA": schema,
        "WAIT_TIMEOUT": "10",
        "RUST_LOG": "warn",
    }
    run = subprocess.run([os.environ["SQLITE2PG"]], env=env, capture_output=True, text=True, timeout=300)
    if run.returncode != expect:
        sys.stderr.write(run.stderr)
        raise AssertionError(f"sqlite2pg exited {run.returncode}, expected {expect}")
    return run.stderr


def compare(name, from_sqlite, from_postgres):
    """Both lists of rows (tuples of the ORM's own Python values) must be equal, row by row."""
    assert len(from_sqlite) == len(from_postgres), f"{name}: {len(from_sqlite)} rows in sqlite, {len(from_postgres)} in postgresql"
    bad = []
    for a, b in zip(from_sqlite, from_postgres):
        if a != b:
            bad.append(f"  sqlite:     {a!r}\n  postgresql: {b!r}")
    if bad:
        raise AssertionError(f"{name}: {len(bad)} row(s) differ\n" + "\n".join(bad))
    print(f"{name}: {len(from_sqlite)} rows read back equal through the orm")


def setup_django(sqlite_path, database_url, **extra):
    """Configure Django with two databases, "default" on the SQLite file and "pg" on PostgreSQL, and start it."""
    import django
    from django.conf import settings

    u = urlsplit(database_url)
    settings.configure(
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path},
            "pg": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": u.path.lstrip("/"),
                "USER": u.username,
                "PASSWORD": u.password,
                "HOST": u.hostname,
                "PORT": u.port,
            },
        },
        INSTALLED_APPS=[],
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        **extra,
    )
    django.setup()
