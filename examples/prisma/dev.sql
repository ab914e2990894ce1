-- dev.db as `prisma migrate dev` leaves it with provider = "sqlite" (build it with: sqlite3 dev.db < dev.sql).
--
-- The DDL is what Prisma's SQLite connector writes: INTEGER PRIMARY KEY AUTOINCREMENT for autoincrement(),
-- DATETIME, DECIMAL, BIGINT, BLOB, BOOLEAN and JSONB declared types, enums as TEXT, foreign keys inline, and the
-- implicit many-to-many table _Watchlist with a unique index _Watchlist_AB_unique.
-- The values take the forms Prisma writes on SQLite, which differ between its own engine and driver adapters:
--   DateTime  epoch milliseconds as INTEGER (Prisma's engine) or text '2024-05-06 07:08:09' / ISO 8601 with
--             offset (driver adapters)
--   Decimal   REAL (engine) or TEXT (adapters)
--   BigInt    INTEGER; Bytes BLOB; Boolean 0/1; Json text; enums the value's name as TEXT
-- Rows deleted after insertion leave their ids in sqlite_sequence: PostgreSQL must not hand them out again.

CREATE TABLE "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
);
INSERT INTO "_prisma_migrations" VALUES ('8c1f0d6e-1a2b-4c3d-9e8f-000000000001', 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f',
    1714979289000, '20240506070809_init', NULL, NULL, 1714979289000, 1);

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" TEXT NOT NULL DEFAULT 'BUYER',
    "avatar" BLOB,
    "karma" BIGINT NOT NULL DEFAULT 0,
    "settings" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "listings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seller_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "price" DECIMAL NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "photos" JSONB,
    "publishedAt" DATETIME,
    CONSTRAINT "listings_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Order" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "buyerId" INTEGER NOT NULL,
    "listingId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "total" DECIMAL NOT NULL,
    "placedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Order_buyerId_fkey" FOREIGN KEY ("buyerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "listings" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "listingId" INTEGER NOT NULL,
    "bidderId" INTEGER NOT NULL,
    "amount" DECIMAL NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "expiresAt" DATETIME,
    CONSTRAINT "Offer_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "listings" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Offer_bidderId_fkey" FOREIGN KEY ("bidderId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "_Watchlist" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    CONSTRAINT "_Watchlist_A_fkey" FOREIGN KEY ("A") REFERENCES "listings" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "_Watchlist_B_fkey" FOREIGN KEY ("B") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "listings_seller_id_idx" ON "listings"("seller_id");
CREATE UNIQUE INDEX "Order_buyerId_listingId_key" ON "Order"("buyerId", "listingId");
CREATE INDEX "Offer_listingId_status_idx" ON "Offer"("listingId", "status");
CREATE UNIQUE INDEX "_Watchlist_AB_unique" ON "_Watchlist"("A", "B");
CREATE INDEX "_Watchlist_B_index" ON "_Watchlist"("B");

-- Data
INSERT INTO "User" VALUES (1, 'ada@example.org', 'Ada', 'SELLER', x'89504e47', 42, '{"theme":"dark"}', 1714979289123, 1714979289123);
INSERT INTO "User" VALUES (2, 'bob@example.org', NULL, 'BUYER', NULL, 9007199254740993, NULL, '2024-05-06 07:10:00', '2024-05-06T07:10:00.500+00:00');
INSERT INTO "User" VALUES (3, 'cy@example.org', 'Cy', 'ADMIN', x'', -1, '[1,2]', 1714979400000, 1714979400000);
INSERT INTO "User" VALUES (4, 'gone@example.org', NULL, 'BUYER', NULL, 0, NULL, 1714979500000, 1714979500000);
DELETE FROM "User" WHERE "id" = 4;
INSERT INTO "listings" VALUES (1, 1, 'Bicycle', 120.5, 1, '["a.jpg","b.jpg"]', 1714979300000);
INSERT INTO "listings" VALUES (2, 1, 'Lamp', '19.99', 0, NULL, NULL);
INSERT INTO "listings" VALUES (3, 3, 'Desk', 0.1, 1, NULL, '2024-05-07 10:00:00');
INSERT INTO "Order" VALUES (1, 2, 1, 'PAID', 120.5, 1714979600000);
INSERT INTO "Order" VALUES (2, 2, 3, 'PENDING', '0.10', '2024-05-07T10:05:00.000+00:00');
INSERT INTO "Order" VALUES (3, 3, 1, 'CANCELLED', 120.5, 1714979700000);
DELETE FROM "Order" WHERE "id" = 3;
INSERT INTO "Offer" VALUES ('clw1a2b3c0000abcdxyz1', 1, 2, 100, 'DECLINED', 1715000000000);
INSERT INTO "Offer" VALUES ('clw1a2b3c0001abcdxyz2', 1, 2, 115.25, 'ACCEPTED', NULL);
INSERT INTO "Offer" VALUES ('clw1a2b3c0002abcdxyz3', 3, 2, '0.05', 'OPEN', '2024-05-08 00:00:00');
INSERT INTO "_Watchlist" VALUES (1, 2), (3, 2), (1, 3);
