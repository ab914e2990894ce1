#!/usr/bin/env python3
"""Independent value-by-value comparison of a SQLite file with the PostgreSQL schema it was migrated into.

Usage: compare.py SQLITE_FILE POSTGRES_URL [--schema public]

Uses only the Python standard library (sqlite3) and psycopg 3; no sqlite2pg code. Every SQLite user table
(not sqlite_* internal tables, not shadow tables; virtual tables when PostgreSQL has a table of their name, FTS
tables with their rowid as a column) must exist in the PostgreSQL schema with the same column names (generated
tsvector columns, PostgreSQL's search index, aside), the same row count and equal values, each value normalised by the
PostgreSQL column's type and the SQLite value's storage class. Mismatches are printed as table, column and
SQLite rowid, never as values. Exit 0: identical; 1: any mismatch; 2: usage or connection error.
"""

import argparse
import collections
import decimal
import ipaddress
import json
import math
import re
import sqlite3
import struct
import sys
import urllib.parse
import uuid

MAX_LINES_PER_TABLE = 20
MAX_PAIRING = 2000  # leftover rows of a keyless table tried against each other for a precise report

D = decimal.Decimal
decimal.getcontext().prec = 1000  # exact arithmetic on epoch values and big numerics


class SText(bytes):
    """The raw bytes of a SQLite TEXT value (a plain `bytes` is a BLOB)."""


class Unrep:
    """A SQLite value that cannot be represented in the PostgreSQL column's type: equal to nothing."""

    __slots__ = ("why",)

    def __init__(self, why):
        self.why = why

    def __repr__(self):
        return "Unrep(%s)" % self.why


def storage_class(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "INTEGER"
    if isinstance(v, int):
        return "INTEGER"
    if isinstance(v, float):
        return "REAL"
    if isinstance(v, SText):
        return "TEXT"
    return "BLOB"


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL types

def category(fmt, typtype):
    """The comparison category of a PostgreSQL column from format_type() and pg_type.typtype."""
    ft = fmt.lower().strip()
    if ft.endswith("[]"):
        return "array"
    if typtype == "e":
        return "text"
    if ft in ("smallint", "integer", "bigint"):
        return "int"
    if ft == "boolean":
        return "bool"
    if ft == "double precision":
        return "float8"
    if ft == "real":
        return "float4"
    if ft.startswith("numeric"):
        return "numeric"
    if ft in ("text", "name", "citext", '"char"') or ft.startswith("character varying"):
        return "text"
    if ft.startswith("character") or ft.startswith("bpchar"):
        return "char"
    if ft == "bytea":
        return "bytea"
    if ft.startswith("timestamp"):
        return "ts" if "without time zone" in ft or "with time zone" not in ft else "tstz"
    if ft == "date":
        return "date"
    if ft.startswith("time") and "with time zone" not in ft:
        return "time"
    if ft in ("json", "jsonb"):
        return "json"
    if ft == "uuid":
        return "uuid"
    if ft.startswith("interval"):
        return "interval"
    if ft in ("inet", "cidr"):
        return ft
    return "other"


def pg_select_expr(cat, qcol):
    """The expression that fetches a column as text we parse ourselves."""
    if cat == "array":
        return "array_to_json(%s)::text" % qcol
    if cat == "interval":
        return "(extract(epoch from %s) * 1000000)::text" % qcol
    return "%s::text" % qcol


# ---------------------------------------------------------------------------------------------------------
# Calendar arithmetic (proleptic Gregorian, astronomical years, any range)

def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_month(y, m):
    return [31, 29 if is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]


def days_from_civil(y, m, d):
    y -= 1 if m <= 2 else 0
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def valid_date(y, m, d):
    return 1 <= m <= 12 and 1 <= d <= days_in_month(y, m)


def frac_micros(frac):
    """'.123456789' digits (without the dot) to microseconds, rounded half up past six digits."""
    if not frac:
        return 0
    digits = frac.ljust(6, "0")
    micros = int(digits[:6])
    rest = digits[6:]
    if rest and int(rest[0]) >= 5:
        micros += 1
    return micros


MICROS_PER_DAY = 86400 * 1000000

SQLITE_TS = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
SQLITE_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$")
PG_TS = re.compile(
    r"^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([+-]\d{2}(?::\d{2}(?::\d{2})?)?)?( BC)?$"
)
PG_DATE = re.compile(r"^(\d{4,})-(\d{2})-(\d{2})( BC)?$")


def offset_seconds(tz):
    if tz is None or tz in ("Z", "z"):
        return 0
    sign = -1 if tz[0] == "-" else 1
    body = tz[1:].replace(":", "")
    h = int(body[0:2])
    m = int(body[2:4]) if len(body) >= 4 else 0
    s = int(body[4:6]) if len(body) >= 6 else 0
    if m > 59 or s > 59:
        raise ValueError("bad offset")
    return sign * (h * 3600 + m * 60 + s)


def sqlite_text_to_micros(s):
    """ISO text (naive = UTC) to microseconds since the epoch, and whether it carried a time of day."""
    m = SQLITE_TS.match(s)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not valid_date(y, mo, d):
        return None
    has_time = m.group(4) is not None
    hh = int(m.group(4) or 0)
    mi = int(m.group(5) or 0)
    ss = int(m.group(6) or 0)
    if hh > 23 or mi > 59 or ss > 59:
        return None
    if m.group(8) is not None and not has_time:
        return None
    try:
        off = offset_seconds(m.group(8))
    except ValueError:
        return None
    secs = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - off
    return secs * 1000000 + frac_micros(m.group(7)), has_time or off != 0


def epoch_to_micros(v):
    """INTEGER or REAL Unix epoch: |v| < 1e11 is seconds, else milliseconds. Returns exact Decimal micros."""
    if isinstance(v, float):
        if math.isinf(v) or math.isnan(v):
            return None
        dv = D(repr(v))
    else:
        dv = D(v)
    if abs(dv) < D("1e11"):
        return dv * 1000000
    return dv * 1000


def round_half_even(dv):
    return int(dv.to_integral_value(rounding=decimal.ROUND_HALF_EVEN))


def pg_ts_to_micros(s):
    if s in ("infinity", "-infinity"):
        return s
    m = PG_TS.match(s)
    if not m:
        return ("unparsed", s)
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if m.group(9):
        y = 1 - y
    secs = days_from_civil(y, mo, d) * 86400 + int(m.group(4)) * 3600 + int(m.group(5)) * 60 + int(m.group(6))
    secs -= offset_seconds(m.group(8))
    return secs * 1000000 + frac_micros(m.group(7))


def pg_date_to_days(s):
    if s in ("infinity", "-infinity"):
        return s
    m = PG_DATE.match(s)
    if not m:
        return ("unparsed", s)
    y = int(m.group(1))
    if m.group(4):
        y = 1 - y
    return days_from_civil(y, int(m.group(2)), int(m.group(3)))


def time_to_micros(s, pg=False):
    m = SQLITE_TIME.match(s)
    if not m:
        return None
    hh, mi, ss = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if mi > 59 or ss > 59 or hh > 24 or (hh == 24 and not pg):
        return None
    return (hh * 3600 + mi * 60 + ss) * 1000000 + frac_micros(m.group(4))


# ---------------------------------------------------------------------------------------------------------
# Numbers and text

INT_TEXT = re.compile(r"^[+-]?\d+$")
NUM_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
SPECIAL_FLOAT = {"infinity": math.inf, "+infinity": math.inf, "-infinity": -math.inf, "inf": math.inf,
                 "+inf": math.inf, "-inf": -math.inf, "nan": math.nan}
BOOL_TEXT = {"t": True, "true": True, "y": True, "yes": True, "on": True, "1": True,
             "f": False, "false": False, "n": False, "no": False, "off": False, "0": False}
UUID_TEXT = re.compile(r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$")


def float_key(x):
    if math.isnan(x):
        return ("f", "nan")
    return ("f", x.hex())


def parse_float_text(s):
    if NUM_TEXT.match(s):
        return float(s)
    special = SPECIAL_FLOAT.get(s.lower())
    if special is not None:
        return special
    return None


def parse_decimal_text(s):
    if NUM_TEXT.match(s):
        return D(s)
    low = s.lower()
    if low in ("infinity", "+infinity", "inf", "+inf"):
        return D("Infinity")
    if low in ("-infinity", "-inf"):
        return D("-Infinity")
    if low == "nan":
        return "NaN"
    return None


def decimal_key(dv):
    if isinstance(dv, str) or dv.is_nan():
        return ("n", "NaN")
    return ("n", dv)


def pg_float8_text(x):
    """PostgreSQL's float8 output (extra_float_digits = 1): shortest round-trip digits, %g-like layout."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    sign, digits, exp = D(repr(x)).as_tuple()
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    exp += len("".join(map(str, digits))) - len(ds)
    e10 = len(ds) - 1 + exp
    neg = "-" if sign else ""
    if e10 < -4 or e10 >= 15:
        mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return "%s%se%s%02d" % (neg, mant, "-" if e10 < 0 else "+", abs(e10))
    if e10 >= len(ds) - 1:
        return neg + ds + "0" * (e10 - len(ds) + 1)
    if e10 >= 0:
        return neg + ds[: e10 + 1] + "." + ds[e10 + 1:]
    return neg + "0." + "0" * (-e10 - 1) + ds


def utf8(v):
    try:
        return bytes(v).decode("utf-8")
    except UnicodeDecodeError:
        return None


def json_canon(o):
    if o is None:
        return ("null",)
    if isinstance(o, bool):
        return ("b", o)
    if isinstance(o, (int, D)):
        return ("n", D(o))
    if isinstance(o, float):
        return ("n", D(repr(o)))
    if isinstance(o, str):
        return ("s", o)
    if isinstance(o, list):
        return ("a", tuple(json_canon(e) for e in o))
    if isinstance(o, dict):
        return ("o", frozenset((k, json_canon(v)) for k, v in o.items()))
    raise ValueError("not json")


def _reject_constant(name):
    raise ValueError("not valid json: " + name)


def json_loads(s):
    return json.loads(s, parse_float=D, parse_int=D, parse_constant=_reject_constant)


# ---------------------------------------------------------------------------------------------------------
# Normalisation: SQLite value -> canonical, PostgreSQL text -> canonical

def sqlite_canon(cat, v):
    """Canonical form of a SQLite value for a PostgreSQL column category; Unrep if it cannot be represented."""
    if v is None:
        return None
    sc = storage_class(v)
    try:
        return _sqlite_canon(cat, sc, v)
    except (ValueError, ArithmeticError, OverflowError, struct.error) as e:
        return Unrep("%s: %s" % (sc, type(e).__name__))


def _sqlite_canon(cat, sc, v):
    unrep = Unrep(sc)
    text = utf8(v) if sc in ("TEXT", "BLOB") else None
    if cat == "int":
        if sc == "INTEGER":
            return ("i", v)
        if sc == "REAL":
            return ("i", int(v)) if v.is_integer() else unrep
        if sc == "TEXT" and text is not None and INT_TEXT.match(text):
            return ("i", int(text))
        return unrep
    if cat == "bool":
        if sc == "INTEGER" and v in (0, 1):
            return ("b", v == 1)
        if sc == "TEXT" and text is not None and text.lower() in BOOL_TEXT:
            return ("b", BOOL_TEXT[text.lower()])
        return unrep
    if cat in ("float8", "float4"):
        if sc == "REAL":
            x = v
        elif sc == "INTEGER":
            x = float(v)
            if math.isinf(x) or int(x) != v:
                return unrep
        elif sc == "TEXT" and text is not None:
            x = parse_float_text(text)
            if x is None:
                return unrep
        else:
            return unrep
        if cat == "float4":
            if math.isnan(x) or math.isinf(x):
                return float_key(x)
            x32 = struct.unpack("<f", struct.pack("<f", x))[0]
            if x32 != x:
                return unrep  # not exactly representable in a 4-byte float
            return ("f4", x32.hex())
        return float_key(x)
    if cat == "numeric":
        if sc == "INTEGER":
            return decimal_key(D(v))
        if sc == "REAL":
            if math.isnan(v):
                return decimal_key("NaN")
            return decimal_key(D("%.15g" % v))
        if sc == "TEXT" and text is not None:
            dv = parse_decimal_text(text)
            return unrep if dv is None else decimal_key(dv)
        return unrep
    if cat in ("text", "char", "other"):
        if sc == "INTEGER":
            s = str(v)
        elif sc == "REAL":
            s = pg_float8_text(v)
        elif text is not None:
            s = text
        else:
            return unrep
        if "\x00" in s:
            return unrep
        return ("t", s.rstrip(" ") if cat == "char" else s)
    if cat == "bytea":
        if sc in ("BLOB", "TEXT"):
            return ("x", bytes(v))
        if sc == "INTEGER":
            return ("x", str(v).encode("ascii"))
        return unrep
    if cat in ("ts", "tstz"):
        if sc in ("INTEGER", "REAL"):
            if sc == "REAL" and math.isinf(v):
                return ("ts", "infinity" if v > 0 else "-infinity")
            dv = epoch_to_micros(v)
            return unrep if dv is None else ("ts", round_half_even(dv))
        if sc == "TEXT" and text is not None:
            low = text.lower()
            if low in ("infinity", "-infinity"):
                return ("ts", low)
            r = sqlite_text_to_micros(text)
            return unrep if r is None else ("ts", r[0])
        return unrep
    if cat == "date":
        if sc in ("INTEGER", "REAL"):
            dv = epoch_to_micros(v)
            if dv is None or dv % MICROS_PER_DAY != 0:
                return unrep
            return ("d", int(dv // MICROS_PER_DAY))
        if sc == "TEXT" and text is not None:
            r = sqlite_text_to_micros(text)
            if r is None or r[0] % MICROS_PER_DAY != 0:
                return unrep
            return ("d", r[0] // MICROS_PER_DAY)
        return unrep
    if cat == "time":
        if sc == "TEXT" and text is not None:
            r = time_to_micros(text)
            return unrep if r is None else ("tm", r)
        return unrep
    if cat == "json":
        if sc == "INTEGER":
            return ("j", json_canon(v))
        if sc == "REAL":
            if math.isinf(v) or math.isnan(v):
                return unrep
            return ("j", json_canon(v))
        if text is not None:
            return ("j", json_canon(json_loads(text)))
        return unrep
    if cat == "array":
        if text is None:
            return unrep
        o = json_loads(text)
        if not isinstance(o, list):
            return unrep
        return ("j", json_canon(o))
    if cat == "uuid":
        if sc == "TEXT" and text is not None and UUID_TEXT.match(text):
            return ("u", uuid.UUID(text).int)
        if sc == "BLOB" and len(v) == 16:
            return ("u", uuid.UUID(bytes=bytes(v)).int)
        return unrep
    if cat == "interval":
        if sc == "INTEGER":
            return ("iv", D(v))
        return unrep
    if cat in ("inet", "cidr"):
        if text is None or sc != "TEXT":
            return unrep
        if cat == "inet":
            return ("ip", str(ipaddress.ip_interface(text)))
        return ("ip", str(ipaddress.ip_network(text)))
    return unrep


def pg_canon(cat, s):
    """Canonical form of a PostgreSQL value fetched as text."""
    if s is None:
        return None
    try:
        return _pg_canon(cat, s)
    except (ValueError, ArithmeticError) as e:
        return ("unparsed", cat, type(e).__name__)


def _pg_canon(cat, s):
    if cat == "int":
        return ("i", int(s))
    if cat == "bool":
        return ("b", s == "true")
    if cat == "float8":
        return float_key(float(s))
    if cat == "float4":
        x = float(s)
        if math.isnan(x) or math.isinf(x):
            return float_key(x)
        return ("f4", struct.unpack("<f", struct.pack("<f", x))[0].hex())
    if cat == "numeric":
        return decimal_key(D(s))
    if cat in ("text", "other"):
        return ("t", s)
    if cat == "char":
        return ("t", s.rstrip(" "))
    if cat == "bytea":
        if not s.startswith("\\x"):
            raise ValueError("bytea_output is not hex")
        return ("x", bytes.fromhex(s[2:]))
    if cat in ("ts", "tstz"):
        return ("ts", pg_ts_to_micros(s))
    if cat == "date":
        return ("d", pg_date_to_days(s))
    if cat == "time":
        r = time_to_micros(s, pg=True)
        return ("tm", r if r is not None else ("unparsed", s))
    if cat in ("json", "array"):
        return ("j", json_canon(json_loads(s)))
    if cat == "uuid":
        return ("u", uuid.UUID(s).int)
    if cat == "interval":
        return ("iv", D(s))
    if cat == "inet":
        return ("ip", str(ipaddress.ip_interface(s)))
    if cat == "cidr":
        return ("ip", str(ipaddress.ip_network(s)))
    return ("t", s)


def lenient_equal(cat, raw, sc_canon, pg_text):
    """Equalities the canonical forms cannot express: a REAL written as text in another decimal layout, a REAL
    epoch whose sub-microsecond part was truncated instead of rounded, a REAL JSON scalar in another layout."""
    if pg_text is None or raw is None or isinstance(sc_canon, Unrep):
        return False
    if isinstance(raw, float):
        if cat in ("text", "char", "other"):
            x = parse_float_text(pg_text.strip(" ") if cat == "char" else pg_text)
            return x is not None and (x == raw or (math.isnan(x) and math.isnan(raw)))
        if cat in ("ts", "tstz"):
            dv = epoch_to_micros(raw)
            p = pg_ts_to_micros(pg_text)
            return dv is not None and isinstance(p, int) and abs(D(p) - dv) < 1
        if cat == "json":
            try:
                o = json_loads(pg_text)
            except ValueError:
                return False
            return isinstance(o, D) and float(o) == raw
    return False


# ---------------------------------------------------------------------------------------------------------
# Reading both sides

def qi_sqlite(name):
    return '"' + name.replace('"', '""') + '"'


class Table:
    def __init__(self, name, ncol, without_rowid):
        self.name = name
        self.without_rowid = without_rowid
        self.columns = []  # (name, declared type, pk index, hidden)
        self.rowid_expr = None
        self.alias = None  # the rowid alias column, if the table has one
        self.pk = []


def sqlite_tables(conn):
    """The user tables to compare, and the names of the virtual tables (compared only if migrated)."""
    tables, virtual = [], []
    for schema, name, kind, ncol, wr, _strict in conn.execute("PRAGMA main.table_list"):
        if schema != "main" or name.lower().startswith("sqlite_"):
            continue
        if kind == "virtual":
            virtual.append(name)
        if kind != "table":
            continue
        t = Table(name, ncol, bool(wr))
        t.columns = table_columns(conn, name)
        names = {c[0].lower() for c in t.columns}
        if not t.without_rowid:
            for cand in ("rowid", "_rowid_", "oid"):
                if cand not in names:
                    t.rowid_expr = cand
                    break
        pks = sorted((c for c in t.columns if c[2] > 0), key=lambda c: c[2])
        t.pk = [c[0] for c in pks]
        if not t.without_rowid and t.rowid_expr and len(pks) == 1 and pks[0][1].upper() == "INTEGER":
            q = "SELECT count(*) FROM %s WHERE %s IS NOT %s" % (qi_sqlite(name), t.rowid_expr, qi_sqlite(pks[0][0]))
            if conn.execute(q).fetchone()[0] == 0:
                t.alias = pks[0][0]
        tables.append(t)
    return tables, virtual


def table_columns(conn, name):
    cols = []
    for _cid, cname, ctype, _notnull, _dflt, pk, hidden in conn.execute(
            "PRAGMA main.table_xinfo(%s)" % qi_sqlite(name)):
        if hidden == 1:  # hidden columns of virtual tables
            continue
        cols.append((cname, ctype or "", pk, hidden))
    return cols


def virtual_module(conn, name):
    """The module of a virtual table, lowercase, from its CREATE VIRTUAL TABLE statement."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    m = re.search(r"\busing\s+([A-Za-z0-9_]+)", row[0] if row and row[0] else "", re.IGNORECASE)
    return m.group(1).lower() if m else ""


def virtual_table(conn, name):
    """A readable virtual table as a table: an FTS table keyed by its rowid (column docid for FTS3/4, rowid for
    FTS5), an R*Tree table by its id column, others keyless (compared as a multiset); or None with the reason."""
    try:
        n = conn.execute("SELECT count(*) FROM %s" % qi_sqlite(name)).fetchone()[0]
        t = Table(name, 0, False)
        t.columns = [(c[0], c[1], 0, c[3]) for c in table_columns(conn, name)]
        t.rowid_expr = "rowid"
        module = virtual_module(conn, name)
        names = {c[0].lower() for c in t.columns}
        if module in ("fts3", "fts4", "fts5"):
            key = next(k for k in ("docid" if module != "fts5" else "rowid", "rowid", "_rowid_", "oid") if k not in names)
            t.columns.insert(0, (key, "INTEGER", 1, 0))
            t.pk = [key]
        elif module in ("rtree", "rtree_i32") and t.columns:
            t.pk = [t.columns[0][0]]
        return t, n
    except sqlite3.Error as e:
        return None, str(e)


def sqlite_rows(conn, t, order):
    cols = ", ".join(qi_sqlite(c[0]) for c in t.columns)
    rid = t.rowid_expr or "NULL"
    sql = "SELECT %s%s FROM %s" % (rid, ", " + cols if cols else "", qi_sqlite(t.name))
    if order == "rowid" and t.rowid_expr:
        sql += " ORDER BY " + t.rowid_expr
    elif order == "pk" and t.pk:
        sql += " ORDER BY " + ", ".join(qi_sqlite(c) for c in t.pk)
    n = 0
    for row in conn.execute(sql):
        n += 1
        yield (row[0] if t.rowid_expr else "#%d" % n), row[1:]


def pg_ident(name):
    return '"' + name.replace('"', '""') + '"'


def pg_truncate(name):
    b = name.encode("utf-8")
    if len(b) <= 63:
        return name
    return b[:63].decode("utf-8", errors="ignore")


class Report:
    def __init__(self):
        self.problems = 0
        self.per_table = collections.Counter()

    def say(self, table, msg):
        self.problems += 1
        self.per_table[table] += 1
        if self.per_table[table] <= MAX_LINES_PER_TABLE:
            print('table "%s": %s' % (table, msg))
        elif self.per_table[table] == MAX_LINES_PER_TABLE + 1:
            print('table "%s": more mismatches not shown' % table)


def pg_columns(cur, oid):
    cur.execute(
        """SELECT a.attname,
                  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
                       ELSE format_type(a.atttypid, a.atttypmod) END,
                  CASE WHEN t.typtype = 'd' THEN bt.typtype ELSE t.typtype END
           FROM pg_attribute a
           JOIN pg_type t ON t.oid = a.atttypid
           LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
           WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
             AND NOT (a.attgenerated = 's' AND a.atttypid = 'tsvector'::regtype)
           ORDER BY a.attnum""", (oid,))
    return [(name, fmt, typtype) for name, fmt, typtype in cur.fetchall()]


def pg_rows(conn, schema, table, pgcols, cats, order_col, tag):
    exprs = ", ".join(pg_select_expr(cats[i], pg_ident(c[0])) for i, c in enumerate(pgcols))
    sql = "SELECT %s FROM %s.%s AS src" % (exprs or "1", pg_ident(schema), pg_ident(table))
    if order_col is not None:
        # qualified: an output column of the same name (the ::text cast keeps it) would sort as text
        sql += " ORDER BY src.%s" % pg_ident(order_col)
    with conn.cursor(name="cmp_%d" % tag) as cur:
        cur.itersize = 2000
        cur.execute(sql)
        for row in cur:
            yield row if exprs else ()


# ---------------------------------------------------------------------------------------------------------
# Comparing

def where(rowid):
    """How a mismatch names its SQLite row: the rowid, or the position in primary-key order (WITHOUT ROWID)."""
    if isinstance(rowid, str):
        return "row %s in primary-key order (without rowid)" % rowid
    return "rowid %s" % rowid


def compare_row(report, tname, colnames, cats, rowid, srow, prow):
    ok = True
    for i, cat in enumerate(cats):
        sc = sqlite_canon(cat, srow[i])
        pc = pg_canon(cat, prow[i])
        if sc == pc or lenient_equal(cat, srow[i], sc, prow[i]):
            continue
        ok = False
        if isinstance(sc, Unrep):
            why = "sqlite %s value cannot be represented as %s" % (storage_class(srow[i]), cat)
        elif pc is None:
            why = "null in postgresql, not null in sqlite"
        elif sc is None:
            why = "null in sqlite, not null in postgresql"
        else:
            why = "values differ (sqlite storage %s, postgresql category %s)" % (storage_class(srow[i]), cat)
        report.say(tname, 'column "%s": %s: %s' % (colnames[i], where(rowid), why))
    return ok


def row_equal(cats, srow, prow):
    for i, cat in enumerate(cats):
        sc = sqlite_canon(cat, srow[i])
        if sc != pg_canon(cat, prow[i]) and not lenient_equal(cat, srow[i], sc, prow[i]):
            return False
    return True


def compare_merge(report, sconn, pconn, schema, t, pg_name, pgcols, cats, colnames, alias_idx):
    """Rowid alias tables: SQLite in rowid order against PostgreSQL ordered by the alias column."""
    s_iter = sqlite_rows(sconn, t, "rowid")
    p_iter = pg_rows(pconn, schema, pg_name, pgcols, cats, pgcols[alias_idx][0], 1)
    s = next(s_iter, None)
    p = next(p_iter, None)
    extra = 0
    while s is not None or p is not None:
        pkey = None
        if p is not None:
            pkey = pg_canon("int", p[alias_idx])
            pkey = pkey[1] if pkey else None
        if s is not None and (p is None or pkey is None or s[0] < pkey):
            report.say(t.name, "%s: row missing in postgresql" % where(s[0]))
            s = next(s_iter, None)
        elif s is None or s[0] > pkey:
            extra += 1
            p = next(p_iter, None)
        else:
            compare_row(report, t.name, colnames, cats, s[0], s[1], p)
            s = next(s_iter, None)
            p = next(p_iter, None)
    if extra:
        report.say(t.name, "%d row(s) in postgresql with no sqlite row of the same key" % extra)


def canon_row(cats, row, side):
    if side == "s":
        return tuple(sqlite_canon(c, v) for c, v in zip(cats, row))
    return tuple(pg_canon(c, v) for c, v in zip(cats, row))


def report_leftovers(report, t, colnames, cats, s_left, p_left):
    """Pair leftover rows leniently, then report the rest with the closest PostgreSQL row's differing columns."""
    if len(s_left) <= MAX_PAIRING and len(p_left) <= MAX_PAIRING:
        remaining = []
        for rowid, srow in s_left:
            for j, prow in enumerate(p_left):
                if row_equal(cats, srow, prow):
                    del p_left[j]
                    break
            else:
                remaining.append((rowid, srow))
        s_left = remaining
    for rowid, srow in s_left:
        best, best_score = None, -1
        if len(p_left) <= MAX_PAIRING:
            for j, prow in enumerate(p_left):
                score = sum(1 for i, c in enumerate(cats)
                            if sqlite_canon(c, srow[i]) == pg_canon(c, prow[i]))
                if score > best_score:
                    best, best_score = j, score
        if best is None:
            report.say(t.name, "%s: row missing in postgresql" % where(rowid))
        else:
            compare_row(report, t.name, colnames, cats, rowid, srow, p_left.pop(best))
    if p_left:
        report.say(t.name, "%d row(s) in postgresql with no matching sqlite row" % len(p_left))


def compare_keyed(report, sconn, pconn, schema, t, pg_name, pgcols, cats, colnames, key_idx):
    """Tables with a primary key that is not a rowid alias: match rows by the canonical key; if the SQLite key is
    not usable (NULLs, values the key type cannot hold, duplicates) compare multisets."""
    s_rows = list(sqlite_rows(sconn, t, "pk"))
    p_rows = list(pg_rows(pconn, schema, pg_name, pgcols, cats, None, 2))
    if key_idx:
        s_map, p_map = {}, {}
        usable = True
        for rowid, srow in s_rows:
            k = tuple(sqlite_canon(cats[i], srow[i]) for i in key_idx)
            if any(x is None or isinstance(x, Unrep) for x in k) or k in s_map:
                usable = False
                break
            s_map[k] = (rowid, srow)
        if usable:
            for prow in p_rows:
                k = tuple(pg_canon(cats[i], prow[i]) for i in key_idx)
                if k in p_map:
                    usable = False
                    break
                p_map[k] = prow
        if usable:
            s_left = []
            for k, (rowid, srow) in s_map.items():
                prow = p_map.pop(k, None)
                if prow is None:
                    s_left.append((rowid, srow))
                else:
                    compare_row(report, t.name, colnames, cats, rowid, srow, prow)
            report_leftovers(report, t, colnames, cats, s_left, list(p_map.values()))
            return
    # multiset comparison
    s_count = collections.Counter()
    s_by_canon = collections.defaultdict(list)
    for rowid, srow in s_rows:
        c = canon_row(cats, srow, "s")
        s_count[c] += 1
        s_by_canon[c].append((rowid, srow))
    p_left = []
    for prow in p_rows:
        c = canon_row(cats, prow, "p")
        if s_count.get(c, 0) > 0:
            s_count[c] -= 1
            s_by_canon[c].pop()
        else:
            p_left.append(prow)
    s_left = [r for rows in s_by_canon.values() for r in rows]
    s_left.sort(key=lambda r: (isinstance(r[0], str), r[0] if not isinstance(r[0], str) else 0))
    report_leftovers(report, t, colnames, cats, s_left, p_left)


def check_sequence(report, sconn, pcur, schema, t, pg_name, alias):
    """A rowid alias is filled in by SQLite on insert: in PostgreSQL it needs a sequence (serial or identity)
    whose next value is past every copied key, and past sqlite_sequence for AUTOINCREMENT tables."""
    pcur.execute("SELECT pg_get_serial_sequence(%s, %s)",
                 ("%s.%s" % (pg_ident(schema), pg_ident(pg_name)), alias))
    seq = pcur.fetchone()[0]
    if seq is None:
        report.say(t.name, 'column "%s": rowid alias has no sequence or identity in postgresql' % alias)
        return
    pcur.execute("SELECT last_value, is_called FROM %s" % seq)
    last, called = pcur.fetchone()
    pcur.execute("SELECT increment_by FROM pg_sequences WHERE format('%%I.%%I', schemaname, sequencename) = %s",
                 (seq,))
    inc_row = pcur.fetchone()
    inc = inc_row[0] if inc_row else 1
    nxt = last + inc if called else last
    floor = sconn.execute("SELECT max(%s) FROM %s" % (qi_sqlite(alias), qi_sqlite(t.name))).fetchone()[0]
    has_seq = sconn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").fetchone()[0]
    if has_seq:
        row = sconn.execute("SELECT max(seq) FROM sqlite_sequence WHERE name = ?", (t.name,)).fetchone()
        if row and row[0] is not None and isinstance(row[0], int):
            floor = row[0] if floor is None else max(floor, row[0])
    if floor is not None and nxt <= floor:
        report.say(t.name, 'column "%s": sequence would hand out a key already used (next not past the maximum)'
                   % alias)


def compare(sqlite_path, url, schema, check_sequences=True):
    import psycopg  # imported here so the normalisers can be unit-tested without it

    uri = "file:%s?mode=ro&immutable=1" % urllib.parse.quote(sqlite_path)
    sconn = sqlite3.connect(uri, uri=True)  # catalog queries: names as str
    dconn = sqlite3.connect(uri, uri=True)  # row values: TEXT as SText, BLOB as bytes
    dconn.text_factory = SText
    report = Report()
    with psycopg.connect(url, autocommit=False) as pconn:
        with pconn.cursor() as cur:
            cur.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1; "
                        "SET bytea_output = 'hex'; SET IntervalStyle = 'postgres'")
            cur.execute("SET TRANSACTION READ ONLY")
            cur.execute(
                "SELECT c.relname, c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')", (schema,))
            pg_tables = dict(cur.fetchall())
        tables, virtual = sqlite_tables(sconn)
        for name in virtual:
            vt, info = virtual_table(sconn, name)
            if vt is None:
                print('note: virtual table "%s" cannot be read here (%s); not compared' % (name, info))
            elif name in pg_tables:
                tables.append(vt)
            else:
                print('note: virtual table "%s" (%d rows readable in sqlite) is not in postgresql; not compared'
                      % (name, info))
        tables.sort(key=lambda t: t.name)
        seen = set()
        total_rows = 0
        for t in tables:
            pg_name = t.name if t.name in pg_tables else pg_truncate(t.name)
            if pg_name not in pg_tables:
                report.say(t.name, 'missing in postgresql schema "%s"' % schema)
                continue
            seen.add(pg_name)
            with pconn.cursor() as cur:
                pgcols = pg_columns(cur, pg_tables[pg_name])
            s_names = [c[0] for c in t.columns]
            p_names = [c[0] for c in pgcols]
            by_name = {n: i for i, n in enumerate(p_names)}
            mapped = [by_name.get(n, by_name.get(pg_truncate(n))) for n in s_names]
            if None in mapped or len(p_names) != len(s_names):
                report.say(t.name, "columns differ: sqlite %s, postgresql %s" % (s_names, p_names))
                continue
            if mapped != list(range(len(s_names))):
                report.say(t.name, "column order differs: sqlite %s, postgresql %s" % (s_names, p_names))
                pgcols = [pgcols[i] for i in mapped]
            cats = [category(fmt, typtype) for _n, fmt, typtype in pgcols]
            s_count = sconn.execute("SELECT count(*) FROM %s" % qi_sqlite(t.name)).fetchone()[0]
            with pconn.cursor() as cur:
                cur.execute("SELECT count(*) FROM %s.%s" % (pg_ident(schema), pg_ident(pg_name)))
                p_count = cur.fetchone()[0]
            total_rows += s_count
            if s_count != p_count:
                report.say(t.name, "row count sqlite %d, postgresql %d" % (s_count, p_count))
            if t.alias is not None and cats[s_names.index(t.alias)] == "int":
                compare_merge(report, dconn, pconn, schema, t, pg_name, pgcols, cats, s_names,
                              s_names.index(t.alias))
                if check_sequences:
                    with pconn.cursor() as cur:
                        check_sequence(report, sconn, cur, schema, t, pg_name, pgcols[s_names.index(t.alias)][0])
            else:
                key_idx = [s_names.index(k) for k in t.pk]
                compare_keyed(report, dconn, pconn, schema, t, pg_name, pgcols, cats, s_names, key_idx)
        for extra in sorted(set(pg_tables) - seen):
            report.say(extra, 'in postgresql schema "%s" but not a sqlite user table' % schema)
        pconn.rollback()
    sconn.close()
    dconn.close()
    print("compare: %d tables, %d rows, %d mismatches" % (len(tables), total_rows, report.problems))
    return report.problems


def main(argv=None):
    ap = argparse.ArgumentParser(description="compare a SQLite file with the PostgreSQL schema it was migrated into")
    ap.add_argument("sqlite_file")
    ap.add_argument("postgres_url")
    ap.add_argument("--schema", default="public")
    ap.add_argument("--no-sequences", action="store_true", help="do not check rowid-alias sequences")
    args = ap.parse_args(argv)
    try:
        problems = compare(args.sqlite_file, args.postgres_url, args.schema, not args.no_sequences)
    except sqlite3.Error as e:
        print("compare: sqlite: %s" % e, file=sys.stderr)
        return 2
    except ImportError as e:
        print("compare: %s (pip install 'psycopg[binary]')" % e, file=sys.stderr)
        return 2
    except Exception as e:  # psycopg errors: connection refused, missing schema, ...
        if type(e).__module__.startswith("psycopg"):
            first = str(e).splitlines()[0] if str(e) else ""
            print("compare: postgresql: %s: %s" % (type(e).__name__, first), file=sys.stderr)
            return 2
        raise
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
