"""Django writes its field types on SQLite, creates its own PostgreSQL tables, sqlite2pg copies, Django reads back.

Usage: django_roundtrip.py SQLITE_FILE POSTGRES_URL (the database must exist and be empty)
"""

import datetime as dt
import decimal
import sys
import uuid

from common import compare, migrate, setup_django

sqlite_path, pg_url = sys.argv[1], sys.argv[2]
setup_django(sqlite_path, pg_url, USE_TZ=True, TIME_ZONE="Europe/Paris")

from django.db import connections, models  # noqa: E402


class Kind(models.TextChoices):
    A = "alpha"
    B = "beta"


class Thing(models.Model):
    flag = models.BooleanField(null=True)
    day = models.DateField(null=True)
    clock = models.TimeField(null=True)
    moment = models.DateTimeField(null=True)
    span = models.DurationField(null=True)
    amount = models.DecimalField(max_digits=12, decimal_places=4, null=True)
    ratio = models.FloatField(null=True)
    doc = models.JSONField(null=True)
    ident = models.UUIDField(null=True)
    big = models.BigIntegerField(null=True)
    raw = models.BinaryField(null=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, null=True)
    ip = models.GenericIPAddressField(null=True)

    class Meta:
        app_label = "fw"


class Child(models.Model):
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE)
    ref = models.UUIDField(default=uuid.uuid4)

    class Meta:
        app_label = "fw"


paris = dt.timezone(dt.timedelta(hours=1))
rows = [
    dict(
        flag=True,
        day=dt.date(2024, 2, 29),
        clock=dt.time(12, 34, 56, 789012),
        moment=dt.datetime(2024, 1, 15, 12, 34, 56, 123456, tzinfo=paris),
        span=dt.timedelta(days=3, hours=4, microseconds=7),
        amount=decimal.Decimal("12345678.1234"),
        ratio=0.1,
        doc={"a": [1, 2.5, "é"], "b": None},
        ident=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        big=2**63 - 1,
        raw=b"\x00\xff\x10",
        kind=Kind.A,
        ip="2001:db8::1",
    ),
    dict(
        flag=False,
        day=dt.date(1, 1, 1),
        clock=dt.time(0, 0),
        moment=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc),
        span=dt.timedelta(microseconds=-1),
        amount=decimal.Decimal("-0.0001"),
        ratio=float("inf"),
        doc=123,
        ident=uuid.UUID(int=0),
        big=-(2**63),
        raw=b"",
        kind=Kind.B,
        ip="192.0.2.1",
    ),
    dict(
        flag=None,
        day=None,
        clock=dt.time(23, 59, 59, 999999),
        moment=dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone.utc),
        span=dt.timedelta(days=-2),
        amount=decimal.Decimal("99999999.9999"),
        ratio=-1.5e-300,
        doc="a string",
        ident=None,
        big=0,
        raw=None,
        kind=None,
        ip=None,
    ),
    {},
]

for alias in ("default", "pg"):
    with connections[alias].schema_editor() as editor:
        editor.create_model(Thing)
        editor.create_model(Child)
for r in rows:
    t = Thing.objects.using("default").create(**r)
    Child.objects.using("default").create(thing=t)

fields = [f.name for f in Thing._meta.fields]


def read(alias):
    out = []
    for t in Thing.objects.using(alias).order_by("id"):
        vals = [getattr(t, f) for f in fields]
        out.append(tuple(bytes(v) if isinstance(v, memoryview) else v for v in vals))
    out += [(c.id, c.thing_id, c.ref) for c in Child.objects.using(alias).order_by("id")]
    return out


migrate(sqlite_path, pg_url)
compare("django", read("default"), read("pg"))
new = Thing.objects.using("pg").create(flag=True)
assert new.id == len(rows) + 1, f"the id sequence was not moved past the copied ids: {new.id}"
