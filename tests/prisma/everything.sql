-- What prisma migrate creates for everything.prisma.
CREATE SCHEMA IF NOT EXISTS "audit";
CREATE TYPE "public"."user_role" AS ENUM ('BUYER', 'SELLER', 'admin');
CREATE TYPE "public"."OrderStatus" AS ENUM ('PENDING', 'PAID', 'SHIPPED');
CREATE TABLE "public"."users" (
    "id" SERIAL NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "name" TEXT,
    "role" "public"."user_role" NOT NULL DEFAULT 'BUYER',
    "roles" "public"."user_role"[],
    "avatar" BYTEA,
    "karma" BIGINT NOT NULL DEFAULT 0,
    "rating" REAL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "invited_by" INTEGER,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "public"."listings" (
    "id" UUID NOT NULL,
    "seller_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "price" DECIMAL(12,2) NOT NULL,
    "fee" DECIMAL(65,30) NOT NULL DEFAULT 0.5,
    "tags" TEXT[],
    "publishedAt" TIMESTAMPTZ(6),
    "code" CHAR(32) NOT NULL DEFAULT upper(md5(random()::text)),
    CONSTRAINT "listings_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "public"."Order" (
    "id" BIGSERIAL NOT NULL,
    "buyerId" INTEGER NOT NULL,
    "status" "public"."OrderStatus" NOT NULL DEFAULT 'PENDING',
    "total" DECIMAL(65,30) NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "public"."OrderItem" (
    "orderId" BIGINT NOT NULL,
    "listingId" UUID NOT NULL,
    "quantity" SMALLINT NOT NULL DEFAULT 1,
    CONSTRAINT "OrderItem_pkey" PRIMARY KEY ("orderId","listingId")
);
CREATE TABLE "public"."Invoice" (
    "id" SERIAL NOT NULL,
    "orderId" BIGINT NOT NULL,
    "pdf" BYTEA NOT NULL,
    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "public"."Offer" (
    "id" TEXT NOT NULL,
    "listingId" UUID NOT NULL,
    "bidderId" INTEGER NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "accepted" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" TIMESTAMP(0) NOT NULL,
    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "audit"."events" (
    "id" BIGSERIAL NOT NULL,
    "userId" INTEGER,
    "kind" TEXT NOT NULL DEFAULT 'login',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSON,
    "ip" INET,
    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "public"."_Watchlist" (
    "A" UUID NOT NULL,
    "B" INTEGER NOT NULL,
    CONSTRAINT "_Watchlist_AB_pkey" PRIMARY KEY ("A","B")
);
CREATE UNIQUE INDEX "users_email_key" ON "public"."users"("email");
CREATE INDEX "users_created_at_idx" ON "public"."users"("created_at" DESC);
CREATE UNIQUE INDEX "listing_seller_slug" ON "public"."listings"("seller_id", "slug");
CREATE INDEX "listings_tags_idx" ON "public"."listings" USING GIN ("tags");
CREATE INDEX "Order_buyerId_status_idx" ON "public"."Order"("buyerId", "status");
CREATE UNIQUE INDEX "Invoice_orderId_key" ON "public"."Invoice"("orderId");
CREATE UNIQUE INDEX "Offer_listingId_bidderId_key" ON "public"."Offer"("listingId", "bidderId");
CREATE INDEX "event_user_time" ON "audit"."events"("userId", "at");
CREATE INDEX "_Watchlist_B_index" ON "public"."_Watchlist"("B");
ALTER TABLE "public"."users" ADD CONSTRAINT "users_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "public"."listings" ADD CONSTRAINT "listings_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "public"."Order" ADD CONSTRAINT "Order_buyerId_fkey" FOREIGN KEY ("buyerId") REFERENCES "public"."users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "public"."OrderItem" ADD CONSTRAINT "OrderItem_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "public"."Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "public"."OrderItem" ADD CONSTRAINT "OrderItem_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "public"."listings"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "public"."Invoice" ADD CONSTRAINT "Invoice_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "public"."Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "public"."Offer" ADD CONSTRAINT "Offer_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "public"."listings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "public"."Offer" ADD CONSTRAINT "offer_bidder" FOREIGN KEY ("bidderId") REFERENCES "public"."users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "audit"."events" ADD CONSTRAINT "events_userId_fkey" FOREIGN KEY ("userId") REFERENCES "public"."users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "public"."_Watchlist" ADD CONSTRAINT "_Watchlist_A_fkey" FOREIGN KEY ("A") REFERENCES "public"."listings"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "public"."_Watchlist" ADD CONSTRAINT "_Watchlist_B_fkey" FOREIGN KEY ("B") REFERENCES "public"."users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
