"""Django writes its tables and rows on SQLite; sqlite2pg creates the PostgreSQL schema itself (SCHEMA=auto)
from Django's SQLite DDL, its CHECKs, expression index and partial unique index translated; Django reads back.

Usage: django_auto.py SQLITE_FILE POSTGRES_URL (the database must exist and be empty)
"""

import datetime as dt
import decimal
import sys

import psycopg

from common import compare, migrate, setup_django

sqlite_path, pg_url = sys.argv[1], sys.argv[2]
setup_django(sqlite_path, pg_url)

from django.db import connections, models  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.db.models.functions import Lower  # noqa: E402


class Tag(models.Model):
    name = models.CharField(max_length=40)
    active = models.BooleanField(default=True)
    uses = models.PositiveIntegerField(default=0)
    meta = models.JSONField(null=True)
    since = models.DateField(null=True)
    weight = models.DecimalField(max_digits=8, decimal_places=3, null=True)

    class Meta:
        app_label = "fw"
        indexes = [models.Index(Lower("name"), name="tag_lower_name")]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(active=True), name="tag_one_active_name"),
            models.CheckConstraint(condition=Q(uses__lte=1000000), name="tag_uses_bounded"),
        ]


class Note(models.Model):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    body = models.TextField()
    extra = models.JSONField(default=dict)

    class Meta:
        app_label = "fw"


with connections["default"].schema_editor() as editor:
    editor.create_model(Tag)
    editor.create_model(Note)

tags = [
    dict(name="Alpha", meta={"a": [1, 2.5, "é"], "b": None}, since=dt.date(2024, 2, 29), weight=decimal.Decimal("12.5")),
    dict(name="alpha", active=False, uses=7, meta=[1, "two"], weight=decimal.Decimal("-0.001")),
    dict(name="beta", uses=1000000, meta="just a string", since=dt.date(1, 1, 1)),
    dict(name="Beta", active=False, meta=None),
]
for t in tags:
    tag = Tag.objects.using("default").create(**t)
    Note.objects.using("default").create(tag=tag, body=f"about {tag.name}", extra={"n": tag.id})


def read(alias):
    out = [
        (t.id, t.name, t.active, t.uses, t.meta, t.since, t.weight)
        for t in Tag.objects.using(alias).order_by("id")
    ]
    out += [(n.id, n.tag_id, n.body, n.extra) for n in Note.objects.using(alias).order_by("id")]
    return out


migrate(sqlite_path, pg_url, schema="auto")
compare("django (SCHEMA=auto)", read("default"), read("pg"))
new = Tag.objects.using("pg").create(name="gamma")
assert new.id == len(tags) + 1, f"the id sequence was not moved past the copied ids: {new.id}"

# The translated constraints hold on PostgreSQL as they did on SQLite.
refused = {
    "invalid JSON (JSON_VALID check)": "INSERT INTO fw_tag (name, active, uses, meta) VALUES ('x', true, 0, '{oops')",
    "negative count (PositiveIntegerField check)": "INSERT INTO fw_tag (name, active, uses) VALUES ('x', true, -1)",
    "count over the bound (CheckConstraint)": "INSERT INTO fw_tag (name, active, uses) VALUES ('x', true, 1000001)",
    "second active name (partial unique index)": "INSERT INTO fw_tag (name, active, uses) VALUES ('beta', true, 0)",
    "note without its tag (foreign key)": "INSERT INTO fw_note (tag_id, body, extra) VALUES (999, 'x', '{}')",
}
with psycopg.connect(pg_url, autocommit=True) as pg:
    for what, sql in refused.items():
        try:
            pg.execute(sql)
        except psycopg.errors.IntegrityError:
            continue
        raise AssertionError(f"PostgreSQL accepted {what}")
    pg.execute("INSERT INTO fw_tag (name, active, uses) VALUES ('beta', false, 0)")
    plan = pg.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'tag_lower_name'").fetchone()
    assert plan and "lower" in plan[0].lower(), f"the expression index did not arrive: {plan}"

