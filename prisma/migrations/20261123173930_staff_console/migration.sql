-- CreateEnum
CREATE TYPE "RelationshipStage" AS ENUM ('attract', 'establish', 'build', 'develop', 'maintain', 'strengthen', 'loyal');

-- CreateEnum
CREATE TYPE "InteractionChannel" AS ENUM ('call', 'meeting', 'email', 'visit');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "engagementAt" TIMESTAMP(3),
ADD COLUMN     "engagementScore" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastActivityAt" TIMESTAMP(3),
ADD COLUMN     "stage" "RelationshipStage" NOT NULL DEFAULT 'attract';

-- CreateTable
CREATE TABLE "StageChange" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "fromStage" "RelationshipStage",
    "toStage" "RelationshipStage" NOT NULL,
    "reason" TEXT NOT NULL,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StageChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffNote" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "bodyHtml" TEXT NOT NULL,
    "rendererVersion" INTEGER NOT NULL,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUpTask" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "dueOn" DATE NOT NULL,
    "assigneeId" TEXT NOT NULL,
    "createdById" TEXT,
    "doneAt" TIMESTAMP(3),
    "doneById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FollowUpTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "staffId" TEXT,
    "channel" "InteractionChannel" NOT NULL,
    "summary" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberTag" (
    "memberId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberTag_pkey" PRIMARY KEY ("memberId","tag")
);

-- CreateIndex
CREATE INDEX "StageChange_memberId_createdAt_idx" ON "StageChange"("memberId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "StaffNote_memberId_pinned_createdAt_idx" ON "StaffNote"("memberId", "pinned", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "FollowUpTask_assigneeId_doneAt_dueOn_idx" ON "FollowUpTask"("assigneeId", "doneAt", "dueOn");

-- CreateIndex
CREATE INDEX "FollowUpTask_memberId_doneAt_dueOn_idx" ON "FollowUpTask"("memberId", "doneAt", "dueOn");

-- CreateIndex
CREATE INDEX "FollowUpTask_doneAt_dueOn_idx" ON "FollowUpTask"("doneAt", "dueOn");

-- CreateIndex
CREATE INDEX "Interaction_memberId_occurredAt_idx" ON "Interaction"("memberId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "MemberTag_tag_idx" ON "MemberTag"("tag");

-- CreateIndex
CREATE INDEX "User_stage_idx" ON "User"("stage");

-- CreateIndex
CREATE INDEX "User_lastActivityAt_idx" ON "User"("lastActivityAt" DESC);

-- CreateIndex
CREATE INDEX "User_engagementScore_idx" ON "User"("engagementScore" DESC);

-- AddForeignKey
ALTER TABLE "StageChange" ADD CONSTRAINT "StageChange_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffNote" ADD CONSTRAINT "StaffNote_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffNote" ADD CONSTRAINT "StaffNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUpTask" ADD CONSTRAINT "FollowUpTask_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUpTask" ADD CONSTRAINT "FollowUpTask_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberTag" ADD CONSTRAINT "MemberTag_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: last activity from the touchpoints already recorded.
UPDATE "User" u SET "lastActivityAt" = t.last
FROM (SELECT "memberId", max("occurredAt") AS last FROM "Touchpoint" GROUP BY "memberId") t
WHERE t."memberId" = u."id";
