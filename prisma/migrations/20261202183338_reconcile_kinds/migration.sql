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

-- AlterTable: runs so far were all of domains
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

-- The platform row (there is one, and its desired state is configuration)
INSERT INTO "Platform" ("id", "updatedAt") VALUES ('platform', CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING;

