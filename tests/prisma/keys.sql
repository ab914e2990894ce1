-- What prisma migrate creates for keys.prisma: <Table>_pkey, <Table>_<cols>_key (unique indexes, not
-- constraints), <Table>_<cols>_idx, a map: argument as the name as given, a name: argument of @@id/@@unique only
-- in the client, and a default name cut to 63 bytes before its suffix.
CREATE TABLE "Membership" (
    "orgId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "joined" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    CONSTRAINT "Membership_pkey" PRIMARY KEY ("orgId","userId")
);
CREATE TABLE "Account" (
    "provider" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "tags" JSONB,
    CONSTRAINT "account_pk" PRIMARY KEY ("provider","account")
);
CREATE TABLE "OrganizationExchangeRate" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "fromCurrency" TEXT NOT NULL,
    "toCurrency" TEXT NOT NULL,
    CONSTRAINT "OrganizationExchangeRate_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Named" (
    "id" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "named_key_pk" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Membership_userId_role_key" ON "Membership"("userId", "role");
CREATE INDEX "Membership_joined_role_idx" ON "Membership"("joined" DESC, "role");
CREATE INDEX "membership_note" ON "Membership"("note");
CREATE INDEX "Membership_role_idx" ON "Membership" USING HASH ("role");
CREATE UNIQUE INDEX "account_email_unique" ON "Account"("email");
CREATE UNIQUE INDEX "Account_handle_key" ON "Account"("handle" DESC);
CREATE UNIQUE INDEX "provider_handle" ON "Account"("provider", "handle");
CREATE INDEX "Account_tags_idx" ON "Account" USING GIN ("tags");
CREATE UNIQUE INDEX "OrganizationExchangeRate_organizationId_fromCurrency_toCurr_key" ON "OrganizationExchangeRate"("organizationId", "fromCurrency", "toCurrency");
CREATE INDEX "OrganizationExchangeRate_organizationId_idx" ON "OrganizationExchangeRate"("organizationId");
CREATE INDEX "Named_at_idx" ON "Named" USING BRIN ("at");
