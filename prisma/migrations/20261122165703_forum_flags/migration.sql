-- CreateTable
CREATE TABLE "ForumFlag" (
    "id" TEXT NOT NULL,
    "postId" TEXT NOT NULL,
    "reporterId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,
    "resolvedById" TEXT,

    CONSTRAINT "ForumFlag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ForumFlag_resolvedAt_createdAt_idx" ON "ForumFlag"("resolvedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ForumFlag_postId_reporterId_key" ON "ForumFlag"("postId", "reporterId");

-- AddForeignKey
ALTER TABLE "ForumFlag" ADD CONSTRAINT "ForumFlag_postId_fkey" FOREIGN KEY ("postId") REFERENCES "ForumPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;
