-- What prisma migrate creates for mapped.prisma: tables, columns, enum types and values under their mapped
-- names, and every default name built from the mapped table and column names. Scalar lists are nullable.
CREATE TYPE "avocado_ripeness_status" AS ENUM ('NOT_RIPE_ENOUGH', 'TOO_RIPE');
CREATE TYPE "Kind" AS ENUM ('info', 'warn', 'error');
CREATE TABLE "avocados" (
    "id" TEXT NOT NULL,
    "status" "avocado_ripeness_status" NOT NULL,
    "avocado_kind" "Kind" DEFAULT 'error',
    "strings" TEXT[],
    "enums" "Kind"[],
    "owner_id" INTEGER NOT NULL,
    CONSTRAINT "avocados_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "owners" (
    "owner_pk" INTEGER NOT NULL,
    "full_name" TEXT NOT NULL,
    CONSTRAINT "owners_pkey" PRIMARY KEY ("owner_pk")
);
CREATE UNIQUE INDEX "avocados_status_owner_id_key" ON "avocados"("status", "owner_id");
CREATE UNIQUE INDEX "owners_full_name_key" ON "owners"("full_name");
ALTER TABLE "avocados" ADD CONSTRAINT "avocados_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "owners"("owner_pk") ON DELETE RESTRICT ON UPDATE CASCADE;
