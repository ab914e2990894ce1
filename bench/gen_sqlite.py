#!/usr/bin/env python3
"""Write the benchmark's SQLite database: a marketplace app as an ORM leaves it (stdlib only).

    python3 bench/gen_sqlite.py --rows N --out bench.sqlite [--seed 7]

N is the row count of the largest table, "Order"; "Listing" has N/2 rows and "User" N/10.
Deterministic: the same N and seed give the same rows on every machine and Python >= 3.8
(each table draws from its own random.Random seeded with a string; listing ids are hashes of
their position, so orders can point at any listing without keeping a list of ids).
The file's bytes may differ between SQLite versions; its rows do not.

What it holds (about 1 GB at N = 3,000,000):
  "User"     id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name (NULL and ''
             sometimes, non-ASCII, quotes), isAdmin BOOLEAN 0/1, createdAt DATETIME as ISO-8601
             text with milliseconds and Z, balance DECIMAL(12,2) stored as REAL (NULL sometimes)
  "Listing"  id TEXT uuid primary key, sellerId -> "User", title, description (20 to 200
             characters; commas, quotes, newlines, backslashes, a literal \\N), price REAL,
             tags JSON array text, image BLOB (random bytes, not UTF-8), createdAt INTEGER unix ms
  "Order"    id INTEGER PRIMARY KEY, buyerId -> "User", listingId -> "Listing", status, qty,
             createdAt TEXT 'YYYY-MM-DD HH:MM:SS'
five secondary indexes and three foreign keys.  Prints one JSON line: file size, rows, seconds.
"""
import argparse
import hashlib
import json
import os
import random
import sqlite3
import sys
import time
import uuid

DDL = [
    '''CREATE TABLE "User" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "email" TEXT NOT NULL UNIQUE,
  "name" TEXT,
  "isAdmin" BOOLEAN NOT NULL DEFAULT 0,
  "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "balance" DECIMAL(12,2)
)''',
    '''CREATE TABLE "Listing" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "sellerId" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "description" TEXT,
  "price" REAL NOT NULL,
  "tags" TEXT,
  "image" BLOB,
  "createdAt" INTEGER NOT NULL,
  FOREIGN KEY ("sellerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
)''',
    '''CREATE TABLE "Order" (
  "id" INTEGER PRIMARY KEY,
  "buyerId" INTEGER NOT NULL,
  "listingId" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'pending',
  "qty" INTEGER NOT NULL DEFAULT 1,
  "createdAt" TEXT NOT NULL,
  FOREIGN KEY ("buyerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  FOREIGN KEY ("listingId") REFERENCES "Listing" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)''',
]

# Built after the rows, as a dump would restore them.
INDEXES = [
    'CREATE INDEX "Listing_sellerId_idx" ON "Listing" ("sellerId")',
    'CREATE INDEX "Listing_createdAt_idx" ON "Listing" ("createdAt")',
    'CREATE INDEX "Order_buyerId_idx" ON "Order" ("buyerId")',
    'CREATE INDEX "Order_listingId_idx" ON "Order" ("listingId")',
    'CREATE INDEX "Order_status_createdAt_idx" ON "Order" ("status", "createdAt")',
]

GIVEN = ("Ada Bo Camille Dmitri Élodie Farah Gunnar Hana Ines Jürgen Kofi Lena Mateo Nadia "
         "Oskar Paula Rui Saoirse Teodor Ulla Vikram Wanjiru Ximena Yosef Zsófia 李娜 Ηλίας Ольга").split()
FAMILY = ["Abara", "O'Neill", "Białek", "da Costa", "Eriksen", "Fournier", "Gómez", "Håkansson",
          "Ito", "Jovanović", "Khan", "Le", "MacLeod", "Novak", "Østergaard", "Patel", "D'Angelo"]
MAIL = ["example.net", "post.test", "shop.example", "mailbox.example.org", "exämple.test"]
VOCAB = ("used good fair excellent spare part kit bundle antique teak walnut shelf lamp mirror rug "
         "phone tablet laptop charger headphones speaker bicycle helmet tent stove kayak paddle "
         "record player vinyl camera tripod flash jacket coat scarf sneakers dress piano ukulele "
         "violin bow case desk chair cabinet drawer sofa pillow blanket mattress crib toys puzzle "
         "books novel atlas collection pickup delivery cash only firm offers welcome smoke-free home "
         "crème brûlée façade smörgåsbord größe 50% ½ € — ✓ 日本").split()
LABELS = ["home", "garden", "tech", "audio", "photo", "kids", "books", "music", "sport", "outdoor",
          "fashion", "vintage", "handmade", "bargain", "local-pickup", "ships-free"]
STATUS = ["pending"] * 8 + ["paid"] * 12 + ["shipped"] * 14 + ["delivered"] * 55 + ["cancelled"] * 8 + ["refunded"] * 3
EPOCH_2020 = 1577836800  # 2020-01-01T00:00:00Z
FIVE_YEARS = 5 * 365 * 86400
DAYS_PER_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def civil(epoch_s):
    """(y, m, d, H, M, S) in UTC for a non-negative epoch second, without datetime's per-call cost."""
    days, rem = divmod(epoch_s, 86400)
    # Howard Hinnant's days_from_civil inverse
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d, rem // 3600, rem // 60 % 60, rem % 60


def listing_id(seed, index):
    """The uuid (version 4 layout) of the listing at position index: a hash, so it needs no list."""
    digest = hashlib.blake2b(f"{seed}/{index}".encode(), digest_size=16).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def users(seed, n):
    rng = random.Random(f"{seed}:User")
    for i in range(1, n + 1):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        r = rng.random()
        name = None if r < 0.04 else "" if r < 0.06 else f"{given} {family}"
        local = family.lower().replace(" ", "").replace("'", "")
        email = f"{local}.{i}@{rng.choice(MAIL)}"
        admin = 1 if rng.random() < 0.03 else 0
        y, mo, d, hh, mi, ss = civil(EPOCH_2020 + rng.randrange(FIVE_YEARS))
        created = f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}.{rng.randrange(1000):03d}Z"
        balance = None if rng.random() < 0.08 else rng.randrange(-50_000, 10_000_000) / 100
        yield i, email, name, admin, created, balance


def listings(seed, n, n_users):
    rng = random.Random(f"{seed}:Listing")
    for i in range(n):
        title = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(2, 6))).capitalize()
        if i % 89 == 0:
            title += ' (size "L", boxed)'
        if rng.random() < 0.05:
            description = None
        else:
            description = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(3, 24)))
            if i % 41 == 0:
                description += "\nPick-up only; no \"holds\", sorry."
            if i % 197 == 0:
                description += "\tpath D:\\photos\\item \\N end"
        price = rng.randrange(100, 500_000) / 100 if rng.random() < 0.85 else rng.uniform(0.5, 9_999.0)
        tags = None if rng.random() < 0.06 else json.dumps(rng.sample(LABELS, rng.randint(0, 4)), ensure_ascii=False)
        image = None if rng.random() < 0.07 else rng.getrandbits(8 * 48).to_bytes(48, "little")[: rng.randint(16, 48)]
        created_ms = EPOCH_2020 * 1000 + rng.randrange(FIVE_YEARS * 1000)
        yield listing_id(seed, i), rng.randint(1, n_users), title, description, price, tags, image, created_ms


def orders(seed, n, n_users, n_listings):
    rng = random.Random(f"{seed}:Order")
    for i in range(1, n + 1):
        y, mo, d, hh, mi, ss = civil(EPOCH_2020 + rng.randrange(FIVE_YEARS))
        qty = 1 if rng.random() < 0.75 else rng.randint(2, 9)
        yield (i, rng.randint(1, n_users), listing_id(seed, rng.randrange(n_listings)), rng.choice(STATUS), qty,
               f"{y:04d}-{mo:02d}-{d:02d} {hh:02d}:{mi:02d}:{ss:02d}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, required=True, help='rows of "Order", the largest table')
    ap.add_argument("--out", required=True, help="the SQLite file to write (replaced if it exists)")
    ap.add_argument("--seed", default="7", help="any string; the same seed gives the same rows")
    args = ap.parse_args()
    if args.rows < 10:
        ap.error("--rows must be at least 10")
    n_orders, n_listings, n_users = args.rows, args.rows // 2, args.rows // 10
    started = time.monotonic()
    tmp = args.out + ".partial"
    for path in (tmp, tmp + "-journal"):
        if os.path.exists(path):
            os.remove(path)
    con = sqlite3.connect(tmp, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    for stmt in DDL:
        con.execute(stmt)
    con.execute("BEGIN")
    con.executemany('INSERT INTO "User" VALUES (?,?,?,?,?,?)', users(args.seed, n_users))
    con.executemany('INSERT INTO "Listing" VALUES (?,?,?,?,?,?,?,?)', listings(args.seed, n_listings, n_users))
    con.executemany('INSERT INTO "Order" VALUES (?,?,?,?,?,?)', orders(args.seed, n_orders, n_users, n_listings))
    con.execute("COMMIT")
    for stmt in INDEXES:
        con.execute(stmt)
    con.execute("PRAGMA journal_mode=DELETE")
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("User", "Listing", "Order")}
    con.close()
    os.replace(tmp, args.out)
    size = os.path.getsize(args.out)
    print(json.dumps({"file": args.out, "bytes": size, "mb": round(size / 1e6, 1), "rows": counts,
                      "rows_total": sum(counts.values()), "seconds": round(time.monotonic() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
