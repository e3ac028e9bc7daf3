-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastError" TEXT;

-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "releasedRRSets" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "ProvisioningRun" ADD COLUMN     "subject" TEXT NOT NULL;
