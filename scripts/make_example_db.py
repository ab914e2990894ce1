#!/usr/bin/env python3
"""Write the bundled example database (examples/data/app.sqlite): a small marketplace app.

Standard library only and deterministic: the same rows every run (fixed seed, fixed clock).
Three app-style tables -- users, listings, orders -- with dates and timestamps, booleans,
JSON, blobs, NULLs, non-ASCII text and foreign keys; a few hundred rows in all.

    python3 scripts/make_example_db.py                 # (re)write examples/data/app.sqlite
    python3 scripts/make_example_db.py --out x.sqlite  # write elsewhere
    python3 scripts/make_example_db.py --check         # exit 1 if the committed file differs in content
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import sys
import tempfile

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "data", "app.sqlite")
SEED = 20240601
EPOCH = dt.datetime(2024, 1, 1, 9, 0, 0)
N_USERS = 60
N_LISTINGS = 120
N_ORDERS = 240

SCHEMA = """
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT 0,
    is_verified   BOOLEAN NOT NULL DEFAULT 0,
    birthday      DATE,
    created_at    DATETIME NOT NULL,
    last_login_at DATETIME,
    settings      JSON    NOT NULL DEFAULT '{}',
    avatar        BLOB
);
CREATE TABLE listings (
    id           INTEGER PRIMARY KEY,
    seller_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    description  TEXT,
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    currency     TEXT    NOT NULL DEFAULT 'EUR',
    rating       REAL,
    is_active    BOOLEAN NOT NULL DEFAULT 1,
    tags         JSON    NOT NULL DEFAULT '[]',
    thumbnail    BLOB,
    listed_at    DATETIME NOT NULL
);
CREATE INDEX listings_seller_idx ON listings (seller_id);
CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    listing_id   INTEGER NOT NULL REFERENCES listings (id),
    buyer_id     INTEGER NOT NULL REFERENCES users (id),
    quantity     INTEGER NOT NULL DEFAULT 1,
    total_cents  INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    is_gift      BOOLEAN NOT NULL DEFAULT 0,
    ordered_at   DATETIME NOT NULL,
    shipped_on   DATE,
    shipping     JSON
);
CREATE INDEX orders_buyer_idx ON orders (buyer_id);
CREATE INDEX orders_listing_idx ON orders (listing_id);
"""

FIRST = ["Ada", "Bruno", "Chloé", "Dmitri", "Eun-ji", "Farah", "Gustav", "Hana", "Ibrahim", "Jo", "Kalani", "Léa",
         "Mateo", "Nneka", "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Tariq", "Uma", "Viktor", "Wen", "Ximena",
         "Yusuf", "Zoë"]
LAST = ["Lovelace", "Müller", "Dubois", "Ivanov", "Kim", "Haddad", "Nilsson", "Tanaka", "Okafor", "García", "Rossi",
        "Novák", "O'Brien", "Sørensen", "Zhang"]
THINGS = ["bike", "lamp", "desk", "camera", "kettle", "guitar", "sofa", "tent", "drone", "typewriter", "record player",
          "rug", "bookshelf", "espresso machine", "snowboard"]
ADJ = ["vintage", "barely used", "refurbished", "handmade", "compact", "heavy-duty", "retro", "foldable", "mint"]
TAGS = ["furniture", "outdoor", "music", "photo", "kitchen", "sport", "collectible", "electronics", "free-shipping"]
CITIES = ["Lisboa", "Berlin", "Kraków", "Montréal", "Osaka", "Nairobi", "São Paulo", "Reykjavík"]
STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"]


def ts(moment):
    """Django/SQLAlchemy style naive UTC text timestamp."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def fake_png(rng, size):
    """A small blob that starts like a PNG and holds arbitrary bytes (NULs included) after."""
    return b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(size))


def build(path):
    rng = random.Random(SEED)
    con = sqlite3.connect(path)
    try:
        con.executescript(SCHEMA)
        users = []
        for uid in range(1, N_USERS + 1):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            created = EPOCH + dt.timedelta(days=rng.randrange(0, 200), seconds=rng.randrange(86400))
            login = None if rng.random() < 0.2 else created + dt.timedelta(days=rng.randrange(1, 90),
                                                                           seconds=rng.randrange(86400))
            birthday = None if rng.random() < 0.3 else dt.date(rng.randrange(1950, 2006), rng.randrange(1, 13),
                                                               rng.randrange(1, 29)).isoformat()
            settings = {"theme": rng.choice(["light", "dark", "system"]), "newsletter": rng.random() < 0.5,
                        "city": rng.choice(CITIES), "notify": {"email": True, "push": rng.random() < 0.3}}
            avatar = fake_png(rng, rng.randrange(16, 96)) if rng.random() < 0.6 else None
            users.append((uid, f"{first}.{last}.{uid}@example.org".lower().replace("'", ""), f"{first} {last}",
                          int(uid <= 3), int(rng.random() < 0.7), birthday, ts(created),
                          ts(login) if login else None, json.dumps(settings, ensure_ascii=False, sort_keys=True),
                          avatar))
        con.executemany("INSERT INTO users VALUES (?,?,?,?,?,?,?,?,?,?)", users)

        listings = []
        for lid in range(1, N_LISTINGS + 1):
            seller = rng.randrange(1, N_USERS + 1)
            title = f"{rng.choice(ADJ).capitalize()} {rng.choice(THINGS)}"
            description = None if rng.random() < 0.15 else (
                f"{title} in {rng.choice(CITIES)}. Pick-up or shipping, \u20ac{rng.randrange(5, 30)} extra.")
            rating = None if rng.random() < 0.25 else round(rng.uniform(1, 5), 2)
            tags = sorted(rng.sample(TAGS, rng.randrange(0, 4)))
            thumb = fake_png(rng, rng.randrange(32, 128)) if rng.random() < 0.5 else None
            listed = EPOCH + dt.timedelta(days=rng.randrange(0, 240), seconds=rng.randrange(86400))
            listings.append((lid, seller, title, description, rng.randrange(100, 250000), rng.choice(["EUR", "USD"]),
                             rating, int(rng.random() < 0.8), json.dumps(tags), thumb, ts(listed)))
        con.executemany("INSERT INTO listings VALUES (?,?,?,?,?,?,?,?,?,?,?)", listings)

        orders = []
        for oid in range(1, N_ORDERS + 1):
            listing = listings[rng.randrange(N_LISTINGS)]
            qty = rng.choice([1, 1, 1, 2, 3])
            status = rng.choice(STATUSES)
            ordered = dt.datetime.strptime(listing[10], "%Y-%m-%d %H:%M:%S") + dt.timedelta(
                days=rng.randrange(0, 60), seconds=rng.randrange(86400))
            shipped = (ordered.date() + dt.timedelta(days=rng.randrange(1, 6))).isoformat() \
                if status in ("shipped", "delivered") else None
            shipping = None if status == "cancelled" else {"city": rng.choice(CITIES),
                                                           "express": rng.random() < 0.2,
                                                           "parcels": rng.randrange(1, 3)}
            orders.append((oid, listing[0], rng.randrange(1, N_USERS + 1), qty, qty * listing[4], status,
                           int(rng.random() < 0.1), ts(ordered), shipped,
                           json.dumps(shipping, ensure_ascii=False, sort_keys=True) if shipping else None))
        con.executemany("INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?)", orders)
        con.execute("PRAGMA user_version = 1")
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def content_digest(path):
    """SHA-256 of the logical content (schema and rows), independent of SQLite's file-format details."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in con.iterdump():
            digest.update(line.encode("utf-8") + b"\n")
        return digest.hexdigest()
    finally:
        con.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="where to write (default examples/data/app.sqlite)")
    parser.add_argument("--check", action="store_true", help="compare --out with a fresh build instead of writing")
    args = parser.parse_args(argv)
    out = os.path.normpath(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "app.sqlite")
        build(fresh)
        if args.check:
            if not os.path.exists(out):
                print(f"missing: {out}", file=sys.stderr)
                return 1
            if content_digest(fresh) != content_digest(out):
                print(f"stale: {out} differs from what this script writes; rerun it", file=sys.stderr)
                return 1
            print(f"ok: {out} is up to date")
            return 0
        os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        staged = out + ".tmp"
        with open(fresh, "rb") as src, open(staged, "wb") as dst:
            dst.write(src.read())
        os.chmod(staged, 0o644)
        os.replace(staged, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
