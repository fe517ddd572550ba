-- AlterEnum
ALTER TYPE "ChatMessageKind" ADD VALUE 'event';

-- AlterTable
ALTER TABLE "ChatMessage" ADD COLUMN     "data" JSONB,
ADD COLUMN     "responseSeconds" INTEGER;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "awaySince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "StaffCoverage" (
    "managerId" TEXT NOT NULL,
    "backupId" TEXT,
    "setById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffCoverage_pkey" PRIMARY KEY ("managerId")
);

-- CreateTable
CREATE TABLE "CannedReply" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CannedReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffCoverage_backupId_idx" ON "StaffCoverage"("backupId");

-- CreateIndex
CREATE INDEX "CannedReply_ownerId_idx" ON "CannedReply"("ownerId");

-- CreateIndex
CREATE INDEX "ChatMessage_senderId_createdAt_idx" ON "ChatMessage"("senderId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "StaffCoverage" ADD CONSTRAINT "StaffCoverage_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffCoverage" ADD CONSTRAINT "StaffCoverage_backupId_fkey" FOREIGN KEY ("backupId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CannedReply" ADD CONSTRAINT "CannedReply_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
