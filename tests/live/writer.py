"""An application writing to a SQLite file: one row into `a` and one into `b` referencing it, per transaction.

    python3 writer.py FILE PROGRESS STOP [DELAY_SECONDS [MAX_COMMITS]]

Writes after DELAY_SECONDS until the file STOP exists or MAX_COMMITS are done. After every commit it replaces PROGRESS with "<commits> <busy>", where busy
counts the commits that found the file locked (rolled back and tried again, as an application would).
"""
import os
import sqlite3
import sys
import time

path, progress, stop = sys.argv[1:4]
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
most = int(sys.argv[5]) if len(sys.argv) > 5 else None
conn = sqlite3.connect(path, timeout=0.5, isolation_level=None)
commits = busy = 0


def report():
    tmp = progress + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{commits} {busy}")
    os.replace(tmp, progress)


report()
time.sleep(delay)
while not os.path.exists(stop) and commits != most:
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
