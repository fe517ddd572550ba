-- CreateTable
CREATE TABLE "MemberConsent" (
    "memberId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberConsent_pkey" PRIMARY KEY ("memberId","channel")
);

-- CreateTable
CREATE TABLE "Segment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "definition" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archivedAt" TIMESTAMP(3),

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemberConsent_channel_granted_idx" ON "MemberConsent"("channel", "granted");

-- CreateIndex
CREATE INDEX "Segment_archivedAt_name_idx" ON "Segment"("archivedAt", "name");

-- AddForeignKey
ALTER TABLE "MemberConsent" ADD CONSTRAINT "MemberConsent_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: the latest ConsentEvent per member and channel is the current state.
INSERT INTO "MemberConsent" ("memberId", "channel", "granted", "updatedAt")
SELECT DISTINCT ON ("memberId", "channel") "memberId", "channel", "granted", "recordedAt"
FROM "ConsentEvent"
ORDER BY "memberId", "channel", "recordedAt" DESC, "id" DESC;
