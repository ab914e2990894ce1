-- What prisma migrate creates for defaults.prisma: autoincrement() makes SERIAL, BIGSERIAL or SMALLSERIAL;
-- now() is CURRENT_TIMESTAMP; dbgenerated's text is the default itself; uuid(), cuid(), nanoid() and
-- @updatedAt leave the column without a default; an enum default is its mapped value; list defaults are arrays.
CREATE TYPE "Status" AS ENUM ('ACTIVE', 'paused');
CREATE TABLE "Counter" (
    "id" SERIAL NOT NULL,
    "big" BIGSERIAL NOT NULL,
    "small" SMALLSERIAL NOT NULL,
    CONSTRAINT "Counter_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Item" (
    "id" TEXT NOT NULL,
    "cuid" TEXT NOT NULL,
    "nano" TEXT NOT NULL,
    "token" UUID NOT NULL DEFAULT gen_random_uuid(),
    "computed" INTEGER NOT NULL DEFAULT (1 + 2),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stamped" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "fixedAt" TIMESTAMP(3) NOT NULL DEFAULT '2020-03-04 05:06:07.089 +00:00',
    "localAt" TIMESTAMP(3) NOT NULL DEFAULT '2020-03-19 14:21:00 +02:00',
    "name" TEXT NOT NULL DEFAULT 'it''s',
    "count" INTEGER NOT NULL DEFAULT -3,
    "total" BIGINT NOT NULL DEFAULT 9007199254740993,
    "ratio" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "price" DECIMAL(65,30) NOT NULL DEFAULT 12.34,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" "Status" NOT NULL DEFAULT 'paused',
    "data" JSONB NOT NULL DEFAULT '{"a": [1, 2]}',
    "tags" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[],
    "nums" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    CONSTRAINT "Item_pkey" PRIMARY KEY ("id")
);
