-- CreateEnum
CREATE TYPE "ForumWatchLevel" AS ENUM ('watching', 'muted');

-- CreateTable
CREATE TABLE "ForumThreadWatch" (
    "userId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "level" "ForumWatchLevel" NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForumThreadWatch_pkey" PRIMARY KEY ("userId","threadId")
);

-- CreateTable
CREATE TABLE "ForumCategoryWatch" (
    "userId" TEXT NOT NULL,
    "categoryId" TEXT NOT NULL,
    "level" "ForumWatchLevel" NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForumCategoryWatch_pkey" PRIMARY KEY ("userId","categoryId")
);

-- CreateIndex
CREATE INDEX "ForumThreadWatch_threadId_level_idx" ON "ForumThreadWatch"("threadId", "level");

-- CreateIndex
CREATE INDEX "ForumCategoryWatch_categoryId_level_idx" ON "ForumCategoryWatch"("categoryId", "level");
