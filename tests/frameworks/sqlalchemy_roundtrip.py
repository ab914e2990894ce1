"""SQLAlchemy writes its types on SQLite, creates its own PostgreSQL tables, sqlite2pg copies, SQLAlchemy reads back.

Usage: sqlalchemy_roundtrip.py SQLITE_FILE POSTGRES_URL (the database must exist and be empty)
"""

import datetime as dt
import decimal
import enum
import sys
import uuid

import sqlalchemy as sa

from common import compare, migrate

sqlite_path, pg_url = sys.argv[1], sys.argv[2]


class Kind(enum.Enum):
    alpha = 1
    beta = 2


meta = sa.MetaData()
things = sa.Table(
    "things",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("flag", sa.Boolean),
    sa.Column("day", sa.Date),
    sa.Column("clock", sa.Time),
    sa.Column("moment", sa.DateTime),
    sa.Column("span", sa.Interval),
    sa.Column("amount", sa.Numeric(12, 4)),
    sa.Column("ratio", sa.Float),
    sa.Column("doc", sa.JSON),
    sa.Column("ident", sa.Uuid),
    sa.Column("big", sa.BigInteger),
    sa.Column("raw", sa.LargeBinary),
    sa.Column("kind", sa.Enum(Kind)),
    sa.Column("name", sa.String(20)),
)

rows = [
    dict(
        flag=True,
        day=dt.date(2024, 2, 29),
        clock=dt.time(12, 34, 56, 789012),
        moment=dt.datetime(2024, 1, 15, 12, 34, 56, 123456),
        span=dt.timedelta(days=3, hours=4, microseconds=7),
        amount=decimal.Decimal("12345678.1234"),
        ratio=0.1,
        doc={"a": [1, 2.5, "é"], "b": None},
        ident=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        big=2**63 - 1,
        raw=b"\x00\xff\x10",
        kind=Kind.alpha,
        name="ünïcode",
    ),
    dict(
        flag=False,
        day=dt.date(1, 1, 1),
        clock=dt.time(0, 0),
        moment=dt.datetime(1, 1, 1),
        span=dt.timedelta(microseconds=-1),
        amount=decimal.Decimal("-0.0001"),
        ratio=-1.5e-300,
        doc=[],
        ident=uuid.UUID(int=0),
        big=-(2**63),
        raw=b"",
        kind=Kind.beta,
        name="",
    ),
    dict(
        flag=None,
        day=None,
        clock=dt.time(23, 59, 59, 999999),
        moment=dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
        span=dt.timedelta(days=-2),
        amount=decimal.Decimal("99999999.9999"),
        ratio=None,
        doc="a string",
        ident=None,
        big=0,
        raw=None,
        kind=None,
        name=None,
    ),
]

lite = sa.create_engine(f"sqlite:///{sqlite_path}")
pg = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
meta.create_all(lite)
meta.create_all(pg)
with lite.begin() as c:
    c.execute(things.insert(), rows)


def read(engine):
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(things.select().order_by(things.c.id))]


migrate(sqlite_path, pg_url)
compare("sqlalchemy", read(lite), read(pg))
