-- CreateEnum
CREATE TYPE "ForumReadRole" AS ENUM ('everyone', 'staff');

-- AlterTable
ALTER TABLE "ForumCategory" ADD COLUMN     "readRole" "ForumReadRole" NOT NULL DEFAULT 'everyone';

-- Who may find a thread in search follows its category's read role: when it
-- changes, each live thread is re-synced (its replies follow it), in the
-- same transaction as the change (docs/decisions/010-search.md).
CREATE FUNCTION rapport_enqueue_category_threads_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "OutboxEvent" ("type", "payload", "availableAt", "createdAt")
  SELECT 'search.sync', jsonb_build_object('kind', 'thread', 'id', t."id"),
         now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM "ForumThread" t
  WHERE t."categoryId" = NEW."id" AND t."deletedAt" IS NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER "ForumCategory_search_sync_update" AFTER UPDATE ON "ForumCategory"
  FOR EACH ROW WHEN (OLD."readRole" IS DISTINCT FROM NEW."readRole")
  EXECUTE FUNCTION rapport_enqueue_category_threads_sync();
