-- AlterTable: existing accounts get a handle from their email's local part
-- ("mai.nguyen@…" → "mainguyen"), numbered where two would collide.
ALTER TABLE "User" ADD COLUMN     "username" TEXT;

WITH base AS (
  SELECT "id",
         left(lower(regexp_replace(split_part("email", '@', 1), '[^a-zA-Z0-9_]', '', 'g')), 16) AS b
  FROM "User"
), padded AS (
  SELECT "id", CASE WHEN length(b) >= 3 THEN b ELSE left('member' || b, 16) END AS b FROM base
), numbered AS (
  SELECT "id", b, row_number() OVER (PARTITION BY b ORDER BY "id") AS n FROM padded
)
UPDATE "User" u
SET "username" = CASE WHEN numbered.n = 1 THEN numbered.b ELSE numbered.b || '_' || numbered.n END
FROM numbered
WHERE numbered."id" = u."id";

ALTER TABLE "User" ALTER COLUMN "username" SET NOT NULL;

-- CreateTable
CREATE TABLE "ForumMention" (
    "postId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForumMention_pkey" PRIMARY KEY ("postId","userId")
);

-- CreateIndex
CREATE INDEX "ForumMention_userId_idx" ON "ForumMention"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- AddForeignKey
ALTER TABLE "ForumMention" ADD CONSTRAINT "ForumMention_postId_fkey" FOREIGN KEY ("postId") REFERENCES "ForumPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForumMention" ADD CONSTRAINT "ForumMention_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
