"""Unit tests of compare.py's normalisers (no PostgreSQL needed): python3 -m unittest tests/corpus/test_compare.py"""

import contextlib
import io
import os
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compare as c  # noqa: E402

T = c.SText


def eq(cat, sqlite_value, pg_text):
    sc = c.sqlite_canon(cat, sqlite_value)
    return sc == c.pg_canon(cat, pg_text) or c.lenient_equal(cat, sqlite_value, sc, pg_text)


class Categories(unittest.TestCase):
    def test_format_type(self):
        cases = {
            "smallint": "int", "integer": "int", "bigint": "int", "boolean": "bool",
            "double precision": "float8", "real": "float4", "numeric(10,2)": "numeric", "numeric": "numeric",
            "text": "text", "character varying(120)": "text", "character varying": "text",
            "character(20)": "char", "bytea": "bytea", "timestamp without time zone": "ts",
            "timestamp(3) without time zone": "ts", "timestamp with time zone": "tstz",
            "timestamp(6) with time zone": "tstz", "date": "date", "time without time zone": "time",
            "time(3) without time zone": "time", "json": "json", "jsonb": "json", "uuid": "uuid",
            "interval": "interval", "inet": "inet", "integer[]": "array", "money": "other",
            "time with time zone": "other",
        }
        for fmt, cat in cases.items():
            self.assertEqual(c.category(fmt, "b"), cat, fmt)
        self.assertEqual(c.category("mood", "e"), "text")


class Integers(unittest.TestCase):
    def test_storage_classes(self):
        self.assertTrue(eq("int", 42, "42"))
        self.assertTrue(eq("int", 1797657063271174144, "1797657063271174144"))
        self.assertTrue(eq("int", 12.0, "12"))
        self.assertFalse(eq("int", 12.3, "12"))
        self.assertTrue(eq("int", T(b"-7"), "-7"))
        self.assertFalse(eq("int", T(b"toto"), "0"))
        self.assertFalse(eq("int", T(b" 7"), "7"))
        self.assertFalse(eq("int", 42, "43"))
        self.assertIsInstance(c.sqlite_canon("int", T(b"lots-of-it")), c.Unrep)

    def test_null(self):
        self.assertTrue(eq("int", None, None))
        self.assertFalse(eq("int", None, "0"))
        self.assertFalse(eq("int", 0, None))
        self.assertFalse(eq("text", T(b""), None))


class Booleans(unittest.TestCase):
    def test_values(self):
        self.assertTrue(eq("bool", 1, "true"))
        self.assertTrue(eq("bool", 0, "false"))
        self.assertFalse(eq("bool", 2, "true"))
        for s in ("t", "TRUE", "Yes", "true"):
            self.assertTrue(eq("bool", T(s.encode()), "true"), s)
        for s in ("f", "False", "NO"):
            self.assertTrue(eq("bool", T(s.encode()), "false"), s)
        self.assertFalse(eq("bool", T(b"maybe"), "true"))


class Floats(unittest.TestCase):
    def test_float8(self):
        self.assertTrue(eq("float8", 0.1, "0.1"))
        self.assertFalse(eq("float8", 0.1, "0.10000000000000002"))
        self.assertTrue(eq("float8", 3, "3"))
        self.assertFalse(eq("float8", 2 ** 53 + 1, "9007199254740992"))  # not exact as a double
        self.assertTrue(eq("float8", float("inf"), "Infinity"))
        self.assertTrue(eq("float8", float("-inf"), "-Infinity"))
        self.assertTrue(eq("float8", T(b"1.5"), "1.5"))
        self.assertFalse(eq("float8", T(b"hello"), "0"))

    def test_float4_needs_exact_value(self):
        self.assertTrue(eq("float4", -80.7812271118164, "-80.78123"))
        self.assertIsInstance(c.sqlite_canon("float4", 0.1), c.Unrep)  # 0.1 is no 4-byte float
        self.assertTrue(eq("float4", 0.5, "0.5"))


class Numerics(unittest.TestCase):
    def test_real_goes_through_15_digits(self):
        self.assertTrue(eq("numeric", 0.99, "0.99"))
        self.assertTrue(eq("numeric", 1.98, "1.98"))
        self.assertTrue(eq("numeric", 0.1 + 0.2, "0.3"))
        self.assertFalse(eq("numeric", 0.1 + 0.2, "0.30000000000000004"))
        self.assertTrue(eq("numeric", 17.0, "17.00"))

    def test_other_classes(self):
        self.assertTrue(eq("numeric", 42, "42"))
        self.assertTrue(eq("numeric", 123456789012345678, "123456789012345678"))
        self.assertTrue(eq("numeric", T(b"12.50"), "12.5"))
        self.assertFalse(eq("numeric", T(b"hello"), "0"))
        self.assertFalse(eq("numeric", T(b"1_000"), "1000"))
        self.assertTrue(eq("numeric", float("inf"), "Infinity"))
        self.assertFalse(eq("numeric", 1.005, "1.01"))


class Texts(unittest.TestCase):
    def test_text(self):
        self.assertTrue(eq("text", T("Luís Gonçalves".encode()), "Luís Gonçalves"))
        self.assertTrue(eq("text", 42, "42"))
        self.assertTrue(eq("text", b"abc", "abc"))  # valid UTF-8 BLOB
        self.assertFalse(eq("text", b"a\x96b", "a\ufffdb"))  # invalid UTF-8 is never equal
        self.assertFalse(eq("text", T(b"a\x96b"), "ab"))
        self.assertFalse(eq("text", T(b"a\x00b"), "ab"))

    def test_real_as_text(self):
        self.assertTrue(eq("text", 12.3, "12.3"))
        self.assertTrue(eq("text", 100.0, "100"))
        self.assertTrue(eq("text", 100.0, "100.0"))  # SQLite's own layout, parsed as a float
        self.assertTrue(eq("text", 1e100, "1e+100"))
        self.assertFalse(eq("text", 12.3, "12.30001"))

    def test_char_padding(self):
        self.assertTrue(eq("char", T(b"abc"), "abc       "))
        self.assertFalse(eq("char", T(b"abd"), "abc       "))

    def test_float8_text_layout(self):
        cases = {0.1: "0.1", 100.0: "100", 1e15: "1e+15", 1e14: "100000000000000", 1.5e-7: "1.5e-07",
                 0.0001: "0.0001", 1e-05: "1e-05", -0.0: "-0", 1e100: "1e+100", 12345.678: "12345.678",
                 float("inf"): "Infinity", -2.5: "-2.5"}
        for x, s in cases.items():
            self.assertEqual(c.pg_float8_text(x), s, repr(x))


class Bytes(unittest.TestCase):
    def test_bytea(self):
        self.assertTrue(eq("bytea", b"\x00\xff", "\\x00ff"))
        self.assertTrue(eq("bytea", T(b"hi"), "\\x6869"))
        self.assertTrue(eq("bytea", b"", "\\x"))
        self.assertFalse(eq("bytea", b"", None))
        self.assertFalse(eq("bytea", b"\x00", "\\x01"))


class Times(unittest.TestCase):
    def test_text_forms(self):
        self.assertTrue(eq("ts", T(b"2021-01-01 00:00:00"), "2021-01-01 00:00:00"))
        self.assertTrue(eq("ts", T(b"2021-01-01T10:13:12.397Z"), "2021-01-01 10:13:12.397"))
        self.assertTrue(eq("tstz", T(b"2022-10-14 10:13:12.397Z"), "2022-10-14 10:13:12.397+00"))
        self.assertTrue(eq("tstz", T(b"2022-10-14T12:13:12.397+02:00"), "2022-10-14 10:13:12.397+00"))
        self.assertTrue(eq("ts", T(b"2006-02-15 05:03:42"), "2006-02-15 05:03:42"))
        self.assertTrue(eq("ts", T(b"2006-02-15"), "2006-02-15 00:00:00"))
        self.assertFalse(eq("ts", T(b"2006-02-15 05:03:42"), "2006-02-15 05:03:43"))
        self.assertFalse(eq("ts", T(b"2006-02-30 05:03:42"), "2006-03-02 05:03:42"))
        self.assertFalse(eq("ts", T(b"yesterday"), "2006-03-02 05:03:42"))

    def test_epochs(self):
        self.assertTrue(eq("ts", 0, "1970-01-01 00:00:00"))
        self.assertTrue(eq("ts", 1627303906, "2021-07-26 12:51:46"))
        self.assertTrue(eq("ts", 1627303906122, "2021-07-26 12:51:46.122"))
        self.assertTrue(eq("ts", 1627303906.5, "2021-07-26 12:51:46.5"))
        self.assertTrue(eq("tstz", -1, "1969-12-31 23:59:59+00"))
        self.assertFalse(eq("ts", 1.0e100, "294276-12-31 23:59:59.999999"))
        self.assertIsInstance(c.sqlite_canon("ts", T(b"2024")), c.Unrep)

    def test_date_and_time(self):
        self.assertTrue(eq("date", T(b"1996-07-04"), "1996-07-04"))
        self.assertTrue(eq("date", T(b"1996-07-04 00:00:00"), "1996-07-04"))
        self.assertFalse(eq("date", T(b"1996-07-04 12:00:00"), "1996-07-04"))
        self.assertTrue(eq("date", 0, "1970-01-01"))
        self.assertTrue(eq("time", T(b"12:30"), "12:30:00"))
        self.assertTrue(eq("time", T(b"12:30:01.25"), "12:30:01.25"))

    def test_calendar(self):
        self.assertEqual(c.days_from_civil(1970, 1, 1), 0)
        self.assertEqual(c.days_from_civil(2000, 3, 1), 11017)
        self.assertEqual(c.pg_ts_to_micros("0001-01-01 00:00:00 BC"), c.days_from_civil(0, 1, 1) * 86400 * 10 ** 6)


class Others(unittest.TestCase):
    def test_json(self):
        self.assertTrue(eq("json", T(b'{"a": 1, "b": [true, null]}'), '{"b": [true, null], "a": 1}'))
        self.assertTrue(eq("json", 123, "123"))
        self.assertTrue(eq("json", 1.5, "1.5"))
        self.assertTrue(eq("json", T(b"null"), "null"))
        self.assertFalse(eq("json", T(b"null"), None))
        self.assertFalse(eq("json", T(b"[1]"), "[true]"))
        self.assertFalse(eq("json", T(b"{bad"), "{}"))
        self.assertFalse(eq("json", T(b"NaN"), "0"))

    def test_uuid(self):
        u = "0f8fad5b-d9cb-469f-a165-70867728950e"
        self.assertTrue(eq("uuid", T(u.encode()), u))
        self.assertTrue(eq("uuid", T(u.replace("-", "").upper().encode()), u))
        self.assertTrue(eq("uuid", bytes.fromhex(u.replace("-", "")), u))
        self.assertFalse(eq("uuid", T(b"not-a-uuid"), u))

    def test_inet(self):
        self.assertTrue(eq("inet", T(b"192.168.0.1"), "192.168.0.1"))
        self.assertTrue(eq("inet", T(b"10.0.0.1/8"), "10.0.0.1/8"))


PG_URL = os.environ.get("COMPARE_TEST_URL")  # an empty database; run.sh sets it


@unittest.skipUnless(PG_URL, "COMPARE_TEST_URL not set")
class PgRoundTrip(unittest.TestCase):
    """compare() against hand-loaded data of every category, then against deliberately changed data."""

    SQLITE = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, u, j, tz, b, f4, ip, iv, tm, d, arr, bt, gen AS (id*2) STORED);
        INSERT INTO t(id,u,j,tz,b,f4,ip,iv,tm,d,arr,bt) VALUES
         (1,'0f8fad5b-d9cb-469f-a165-70867728950e','{"a":[1,2.5,true,null],"b":"x"}','2022-10-14 10:13:12.397Z',
          't',0.5,'10.0.0.1/8',1500000,'12:30:01.25','1996-07-04','[1,2,3]',X'00FF'),
         (2,X'0f8fad5bd9cb469fa16570867728950e',123,1627303906122,0,-80.7812271118164,'::1',-1,'00:00',
          '2000-02-29',NULL,'abc'),
         (3,'0F8FAD5BD9CB469FA16570867728950E','"s"','2022-10-14T12:13:12+02:00','YES',1e10,'192.168.1.0/24',0,
          '23:59:59.999999',0,'[]',X'');
        CREATE TABLE v(a, b);
        INSERT INTO v VALUES (1,'x'),(1,'x'),(2,NULL);
    """
    PG = r"""
        CREATE TABLE t(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, u uuid, j jsonb, tz timestamptz,
            b boolean, f4 real, ip inet, iv interval, tm time(6), d date, arr integer[], bt bytea,
            gen bigint GENERATED ALWAYS AS (id*2) STORED);
        SET TimeZone = 'America/New_York';
        INSERT INTO t(id,u,j,tz,b,f4,ip,iv,tm,d,arr,bt) OVERRIDING SYSTEM VALUE VALUES
         (1,'0f8fad5b-d9cb-469f-a165-70867728950e','{"b":"x","a":[1,2.50,true,null]}','2022-10-14 10:13:12.397+00',
          true,0.5,'10.0.0.1/8','1.5 seconds','12:30:01.25','1996-07-04','{1,2,3}','\x00ff'),
         (2,'0f8fad5b-d9cb-469f-a165-70867728950e','123','2021-07-26 12:51:46.122+00',false,-80.78123,'::1',
          '-1 microsecond','00:00','2000-02-29',NULL,'abc'),
         (3,'0f8fad5b-d9cb-469f-a165-70867728950e','"s"','2022-10-14 10:13:12+00',true,1e10,'192.168.1.0/24','0',
          '23:59:59.999999','1970-01-01','{}','\x');
        SELECT setval(pg_get_serial_sequence('t', 'id'), 3);
        CREATE TABLE v(a bigint, b text);
        INSERT INTO v VALUES (2, NULL), (1, 'x'), (1, 'x');
    """
    TAMPER = """
        UPDATE v SET b = 'y' WHERE ctid = (SELECT min(ctid) FROM v WHERE b = 'x');
        UPDATE t SET tz = tz + interval '1 ms' WHERE id = 3;
        UPDATE t SET j = '{"b":"x","a":[1,2.5,1,null]}' WHERE id = 1;
        UPDATE t SET f4 = -80.78124 WHERE id = 2;
        SELECT setval(pg_get_serial_sequence('t', 'id'), 2);
    """

    def run_compare(self, path):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            problems = c.compare(path, PG_URL, "public")
        return problems, out.getvalue()

    def test_round_trip(self):
        import psycopg

        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "e2e.sqlite")
            conn = sqlite3.connect(path)
            conn.executescript(self.SQLITE)
            conn.close()
            with psycopg.connect(PG_URL, autocommit=True) as pg:
                pg.execute("DROP TABLE IF EXISTS t, v")
                pg.execute(self.PG)
                problems, text = self.run_compare(path)
                self.assertEqual(problems, 0, text)
                pg.execute(self.TAMPER)
                problems, text = self.run_compare(path)
                self.assertEqual(problems, 5, text)
                for line in ('table "t": column "j": rowid 1: values differ',
                             'table "t": column "f4": rowid 2: values differ',
                             'table "t": column "tz": rowid 3: values differ',
                             'table "t": column "id": sequence would hand out a key already used',
                             'table "v": column "b": rowid '):
                    self.assertIn(line, text)
                self.assertNotIn("0f8fad5b", text)  # never a value
                pg.execute("DROP TABLE t, v")


if __name__ == "__main__":
    unittest.main()
