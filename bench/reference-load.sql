-- The psql reference, step 2: what a person would type to load the CSVs by hand, in one session
-- (bench/run.sh: psql --single-transaction -v ON_ERROR_STOP=1 -f this, in the CSV folder).
-- Bare tables in the application's types, \copy each CSV, then the keys, the five indexes and the
-- three foreign keys, one after another: the same end state as SCHEMA=bench/schema.sql.

CREATE TABLE "User" (
    "id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "isAdmin" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "balance" DECIMAL(12,2)
);
CREATE TABLE "Listing" (
    "id" TEXT NOT NULL,
    "sellerId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "price" DOUBLE PRECISION NOT NULL,
    "tags" JSONB,
    "image" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL
);
CREATE TABLE "Order" (
    "id" INTEGER NOT NULL,
    "buyerId" INTEGER NOT NULL,
    "listingId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "qty" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL
);

\copy "User" FROM 'User.csv' WITH (FORMAT csv)
\copy "Listing" FROM 'Listing.csv' WITH (FORMAT csv)
\copy "Order" FROM 'Order.csv' WITH (FORMAT csv)

ALTER TABLE "User" ADD CONSTRAINT "User_pkey" PRIMARY KEY ("id");
ALTER TABLE "Listing" ADD CONSTRAINT "Listing_pkey" PRIMARY KEY ("id");
ALTER TABLE "Order" ADD CONSTRAINT "Order_pkey" PRIMARY KEY ("id");
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

CREATE INDEX "Listing_sellerId_idx" ON "Listing"("sellerId");
CREATE INDEX "Listing_createdAt_idx" ON "Listing"("createdAt");
CREATE INDEX "Order_buyerId_idx" ON "Order"("buyerId");
CREATE INDEX "Order_listingId_idx" ON "Order"("listingId");
CREATE INDEX "Order_status_createdAt_idx" ON "Order"("status", "createdAt");

ALTER TABLE "Listing" ADD CONSTRAINT "Listing_sellerId_fkey"
    FOREIGN KEY ("sellerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Order" ADD CONSTRAINT "Order_buyerId_fkey"
    FOREIGN KEY ("buyerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Order" ADD CONSTRAINT "Order_listingId_fkey"
    FOREIGN KEY ("listingId") REFERENCES "Listing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
