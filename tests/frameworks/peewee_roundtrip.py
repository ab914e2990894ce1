"""Peewee writes its field types on SQLite, creates its own PostgreSQL tables, sqlite2pg copies, Peewee reads back.

Usage: peewee_roundtrip.py SQLITE_FILE POSTGRES_URL (the database must exist and be empty)
"""

import datetime as dt
import decimal
import sys
import uuid
from urllib.parse import urlsplit

import peewee as pw

from common import compare, migrate

sqlite_path, pg_url = sys.argv[1], sys.argv[2]
u = urlsplit(pg_url)
lite = pw.SqliteDatabase(sqlite_path)
pg = pw.PostgresqlDatabase(u.path.lstrip("/"), user=u.username, password=u.password, host=u.hostname, port=u.port)


class Thing(pw.Model):
    flag = pw.BooleanField(null=True)
    day = pw.DateField(null=True)
    clock = pw.TimeField(null=True)
    moment = pw.DateTimeField(null=True)
    amount = pw.DecimalField(max_digits=12, decimal_places=4, null=True)
    ratio = pw.DoubleField(null=True)
    ident = pw.UUIDField(null=True)
    big = pw.BigIntegerField(null=True)
    raw = pw.BlobField(null=True)
    ip = pw.IPField(null=True)
    name = pw.CharField(max_length=20, null=True)


rows = [
    dict(
        flag=True,
        day=dt.date(2024, 2, 29),
        clock=dt.time(12, 34, 56, 789012),
        moment=dt.datetime(2024, 1, 15, 12, 34, 56, 123456),
        amount=decimal.Decimal("12345678.1234"),
        ratio=0.1,
        ident=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        big=2**63 - 1,
        raw=b"\x00\xff\x10",
        ip="192.0.2.1",
        name="ünïcode",
    ),
    dict(
        flag=False,
        day=dt.date(1, 1, 1),
        clock=dt.time(0, 0),
        moment=dt.datetime(1, 1, 1),
        amount=decimal.Decimal("-0.0001"),
        ratio=float("-inf"),
        ident=uuid.UUID(int=0),
        big=-(2**63),
        raw=b"",
        ip="255.255.255.255",
        name="",
    ),
    dict(clock=dt.time(23, 59, 59, 999999), moment=dt.datetime(9999, 12, 31, 23, 59, 59, 999999), amount=decimal.Decimal("99999999.9999")),
]

for db in (lite, pg):
    with db.bind_ctx([Thing]):
        db.create_tables([Thing])
with lite.bind_ctx([Thing]):
    for r in rows:
        Thing.create(**r)


def read(db):
    with db.bind_ctx([Thing]):
        out = []
        for t in Thing.select().order_by(Thing.id):
            vals = [getattr(t, f) for f in Thing._meta.sorted_field_names]
            out.append(tuple(bytes(v) if isinstance(v, memoryview) else v for v in vals))
        return out


migrate(sqlite_path, pg_url)
compare("peewee", read(lite), read(pg))
