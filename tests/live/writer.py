"""An application writing to a SQLite file: one row into `a` and one into `b` referencing it, per transaction.

    python3 writer.py FILE PROGRESS STOP [--open-first] [--delay SECONDS] [--most COMMITS]

Writes until the file STOP exists (or COMMITS are done). After every try it replaces PROGRESS with
"<commits> <busy>", where busy counts the commits that found the file locked (rolled back and tried again, as an
application would). --delay waits before writing; with --open-first the file is opened and read before that wait
(so a WAL-mode file has its -wal and -shm), else after it.
"""
import argparse
import os
import sqlite3
import time

args = argparse.ArgumentParser()
args.add_argument("path")
args.add_argument("progress")
args.add_argument("stop")
args.add_argument("--open-first", action="store_true")
args.add_argument("--delay", type=float, default=0.0)
args.add_argument("--most", type=int)
args = args.parse_args()
commits = busy = 0


def report():
    tmp = args.progress + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{commits} {busy}")
    os.replace(tmp, args.progress)


def connect():
    conn = sqlite3.connect(args.path, timeout=0.5, isolation_level=None)
    conn.execute("SELECT count(*) FROM a").fetchone()
    return conn


conn = connect() if args.open_first else None
report()
time.sleep(args.delay)
conn = conn or connect()
while not os.path.exists(args.stop) and commits != args.most:
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("INSERT INTO a (v) VALUES (?)", (f"a-{commits}",))
        conn.execute("INSERT INTO b (a_id, v) VALUES (?, ?)", (row.lastrowid, f"b-{commits}"))
        conn.execute("COMMIT")
        commits += 1
    except sqlite3.OperationalError as e:
        if "locked" not in str(e) and "busy" not in str(e):
            raise
        busy += 1
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    report()
conn.close()
report()
