-- Search (docs/decisions/010-search.md). Prisma writes the tables; the
-- extensions, the folding function, the generated tsvector, the GIN and
-- trigram indexes and the triggers below are hand-written.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change), so a generated
-- column cannot call it. Naming the dictionary pins it, which makes this
-- wrapper safe to declare IMMUTABLE: lower case, tones and đ folded away.
CREATE FUNCTION rapport_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- CreateTable
CREATE TABLE "SearchDocument" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "productId" TEXT,
    "categoryId" TEXT,
    "status" TEXT,
    "visibility" TEXT NOT NULL,
    "ownerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "indexedAt" TIMESTAMP(3) NOT NULL,
    -- Syllables of the folded title (weight A) and body (B), parsed by the
    -- "simple" configuration: no stemming, no stop words, right for Vietnamese.
    "search" tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple'::regconfig, rapport_fold("title")), 'A') ||
      setweight(to_tsvector('simple'::regconfig, rapport_fold("body")), 'B')) STORED,

    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchTerm" (
    "term" TEXT NOT NULL,

    CONSTRAINT "SearchTerm_pkey" PRIMARY KEY ("term")
);

-- CreateTable
CREATE TABLE "SearchReindexCursor" (
    "kind" TEXT NOT NULL,
    "lastId" TEXT,
    "count" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SearchReindexCursor_pkey" PRIMARY KEY ("kind")
);

-- CreateIndex
CREATE INDEX "SearchDocument_kind_createdAt_idx" ON "SearchDocument"("kind", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "SearchDocument_indexedAt_idx" ON "SearchDocument"("indexedAt");

-- "@@" finds the matches through this index; only they are ranked.
CREATE INDEX "SearchDocument_search_idx" ON "SearchDocument" USING GIN ("search");

-- Typo candidates: words sharing trigrams with a query word.
CREATE INDEX "SearchTerm_term_idx" ON "SearchTerm" USING GIN ("term" gin_trgm_ops);

-- Whatever writes a searchable row enqueues "search.sync" in the same
-- transaction, so no producer can forget it and nothing is lost while the
-- engine is down. The outbox handler reads the row's current state.
CREATE FUNCTION rapport_enqueue_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "OutboxEvent" ("type", "payload", "availableAt", "createdAt")
  VALUES ('search.sync',
          jsonb_build_object('kind', TG_ARGV[0], 'id', CASE WHEN TG_OP = 'DELETE' THEN OLD."id" ELSE NEW."id" END),
          now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
  RETURN NULL;
END $$;

CREATE TRIGGER "ForumThread_search_sync" AFTER INSERT OR DELETE ON "ForumThread"
  FOR EACH ROW EXECUTE FUNCTION rapport_enqueue_search_sync('thread');
CREATE TRIGGER "ForumThread_search_sync_update" AFTER UPDATE ON "ForumThread"
  FOR EACH ROW WHEN (OLD."title" IS DISTINCT FROM NEW."title" OR OLD."categoryId" IS DISTINCT FROM NEW."categoryId"
    OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt" OR OLD."solvedPostId" IS DISTINCT FROM NEW."solvedPostId")
  EXECUTE FUNCTION rapport_enqueue_search_sync('thread');

CREATE TRIGGER "ForumPost_search_sync" AFTER INSERT OR DELETE ON "ForumPost"
  FOR EACH ROW EXECUTE FUNCTION rapport_enqueue_search_sync('post');
CREATE TRIGGER "ForumPost_search_sync_update" AFTER UPDATE ON "ForumPost"
  FOR EACH ROW WHEN (OLD."bodyHtml" IS DISTINCT FROM NEW."bodyHtml" OR OLD."hiddenAt" IS DISTINCT FROM NEW."hiddenAt"
    OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt")
  EXECUTE FUNCTION rapport_enqueue_search_sync('post');

CREATE TRIGGER "Idea_search_sync" AFTER INSERT OR DELETE ON "Idea"
  FOR EACH ROW EXECUTE FUNCTION rapport_enqueue_search_sync('idea');
CREATE TRIGGER "Idea_search_sync_update" AFTER UPDATE ON "Idea"
  FOR EACH ROW WHEN (OLD."title" IS DISTINCT FROM NEW."title" OR OLD."bodyHtml" IS DISTINCT FROM NEW."bodyHtml"
    OR OLD."status" IS DISTINCT FROM NEW."status" OR OLD."productId" IS DISTINCT FROM NEW."productId"
    OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt" OR OLD."mergedIntoId" IS DISTINCT FROM NEW."mergedIntoId")
  EXECUTE FUNCTION rapport_enqueue_search_sync('idea');

CREATE TRIGGER "ProductReview_search_sync" AFTER INSERT OR DELETE ON "ProductReview"
  FOR EACH ROW EXECUTE FUNCTION rapport_enqueue_search_sync('review');
CREATE TRIGGER "ProductReview_search_sync_update" AFTER UPDATE ON "ProductReview"
  FOR EACH ROW WHEN (OLD."title" IS DISTINCT FROM NEW."title" OR OLD."bodyHtml" IS DISTINCT FROM NEW."bodyHtml"
    OR OLD."hiddenAt" IS DISTINCT FROM NEW."hiddenAt" OR OLD."rating" IS DISTINCT FROM NEW."rating")
  EXECUTE FUNCTION rapport_enqueue_search_sync('review');

CREATE TRIGGER "Product_search_sync" AFTER INSERT OR DELETE ON "Product"
  FOR EACH ROW EXECUTE FUNCTION rapport_enqueue_search_sync('product');
CREATE TRIGGER "Product_search_sync_update" AFTER UPDATE ON "Product"
  FOR EACH ROW WHEN (OLD."nameVi" IS DISTINCT FROM NEW."nameVi" OR OLD."nameEn" IS DISTINCT FROM NEW."nameEn"
    OR OLD."descriptionVi" IS DISTINCT FROM NEW."descriptionVi" OR OLD."descriptionEn" IS DISTINCT FROM NEW."descriptionEn"
    OR OLD."status" IS DISTINCT FROM NEW."status" OR OLD."categoryId" IS DISTINCT FROM NEW."categoryId"
    OR OLD."slug" IS DISTINCT FROM NEW."slug")
  EXECUTE FUNCTION rapport_enqueue_search_sync('product');

-- Members are searched by staff only (name, username, email, company); the
-- manager decides which staff may find them.
CREATE TRIGGER "User_search_sync" AFTER INSERT OR DELETE ON "User"
  FOR EACH ROW EXECUTE FUNCTION rapport_enqueue_search_sync('member');
CREATE TRIGGER "User_search_sync_update" AFTER UPDATE ON "User"
  FOR EACH ROW WHEN (OLD."displayName" IS DISTINCT FROM NEW."displayName" OR OLD."email" IS DISTINCT FROM NEW."email"
    OR OLD."username" IS DISTINCT FROM NEW."username" OR OLD."company" IS DISTINCT FROM NEW."company"
    OR OLD."role" IS DISTINCT FROM NEW."role" OR OLD."accountManagerId" IS DISTINCT FROM NEW."accountManagerId"
    OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt")
  EXECUTE FUNCTION rapport_enqueue_search_sync('member');
