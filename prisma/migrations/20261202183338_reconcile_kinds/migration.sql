-- DropIndex
DROP INDEX "Customer_observedGeneration_generation_idx";

-- DropIndex
DROP INDEX "Domain_observedGeneration_generation_idx";

-- AlterTable
ALTER TABLE "Alias" ADD COLUMN     "conditions" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "deletionRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "dueAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "nextResyncAt",
ADD COLUMN     "dueAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Domain" DROP COLUMN "nextResyncAt",
ADD COLUMN     "dueAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Mailbox" ADD COLUMN     "conditions" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "deletionRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "dueAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- AlterTable (runs so far were all of domains)
ALTER TABLE "ProvisioningRun" DROP COLUMN "trigger",
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'Domain',
ADD COLUMN     "objectId" TEXT NOT NULL DEFAULT '';
UPDATE "ProvisioningRun" SET "objectId" = COALESCE("domainId", "customerId", "id");
ALTER TABLE "ProvisioningRun" ALTER COLUMN "kind" DROP DEFAULT, ALTER COLUMN "objectId" DROP DEFAULT;

-- CreateTable
CREATE TABLE "Platform" (
    "id" TEXT NOT NULL DEFAULT 'platform',
    "generation" INTEGER NOT NULL DEFAULT 1,
    "observedGeneration" INTEGER NOT NULL DEFAULT 0,
    "status" "ResourceStatus" NOT NULL DEFAULT 'PENDING',
    "conditions" JSONB NOT NULL DEFAULT '[]',
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "lastCheckedAt" TIMESTAMP(3),
    "deletionRequested" BOOLEAN NOT NULL DEFAULT false,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Platform_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Alias_dueAt_idx" ON "Alias"("dueAt");

-- CreateIndex
CREATE INDEX "Customer_dueAt_idx" ON "Customer"("dueAt");

-- CreateIndex
CREATE INDEX "Domain_dueAt_idx" ON "Domain"("dueAt");

-- CreateIndex
CREATE INDEX "Mailbox_dueAt_idx" ON "Mailbox"("dueAt");

-- CreateIndex
CREATE INDEX "ProvisioningRun_kind_objectId_startedAt_idx" ON "ProvisioningRun"("kind", "objectId", "startedAt");

-- The platform's own row (one; its desired state is configuration).
INSERT INTO "Platform" ("id", "updatedAt") VALUES ('platform', CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING;

-- Idle workers LISTEN on berth_reconcile: any row of a reconciled kind that
-- becomes due and is not leased (new desired state, a retry, a child whose
-- parent is ready) wakes them at once, in every replica, when the writing
-- transaction commits. Workers also poll slowly, so nothing depends on it.
CREATE FUNCTION berth_notify_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('berth_reconcile', TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE TRIGGER "Customer_notify_due" AFTER INSERT OR UPDATE ON "Customer" FOR EACH ROW
  WHEN (NEW."dueAt" IS NOT NULL AND NEW."dueAt" <= now() AND NEW."leaseOwner" IS NULL) EXECUTE FUNCTION berth_notify_due();
CREATE TRIGGER "Domain_notify_due" AFTER INSERT OR UPDATE ON "Domain" FOR EACH ROW
  WHEN (NEW."dueAt" IS NOT NULL AND NEW."dueAt" <= now() AND NEW."leaseOwner" IS NULL) EXECUTE FUNCTION berth_notify_due();
CREATE TRIGGER "Mailbox_notify_due" AFTER INSERT OR UPDATE ON "Mailbox" FOR EACH ROW
  WHEN (NEW."dueAt" IS NOT NULL AND NEW."dueAt" <= now() AND NEW."leaseOwner" IS NULL) EXECUTE FUNCTION berth_notify_due();
CREATE TRIGGER "Alias_notify_due" AFTER INSERT OR UPDATE ON "Alias" FOR EACH ROW
  WHEN (NEW."dueAt" IS NOT NULL AND NEW."dueAt" <= now() AND NEW."leaseOwner" IS NULL) EXECUTE FUNCTION berth_notify_due();
CREATE TRIGGER "Platform_notify_due" AFTER INSERT OR UPDATE ON "Platform" FOR EACH ROW
  WHEN (NEW."dueAt" IS NOT NULL AND NEW."dueAt" <= now() AND NEW."leaseOwner" IS NULL) EXECUTE FUNCTION berth_notify_due();
