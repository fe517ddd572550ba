/**
 * Keeping the index in step: database triggers enqueue "search.sync"
 * {kind, id} in the writer's transaction (migration 20261123182718_search);
 * this outbox handler reads the row's current state and upserts or removes
 * its document. If the engine is down, deliver() throws and the outbox
 * retries with backoff (ADR 005). Also the resumable full reindex.
 */
import type { Db } from "../services.server";
import type { OutboxHandler } from "../outbox/outbox.server";
import { documentId, SEARCH_KINDS, type SearchEngine, type SearchKind } from "./engine";
import { DOCUMENT_LOADERS, type DocumentBatch } from "./documents.server";

export const SEARCH_SYNC = "search.sync";

export interface IndexServices {
  db: Db;
  search: SearchEngine;
}

async function apply(search: SearchEngine, kind: SearchKind, batch: DocumentBatch, ids = batch.seen) {
  const indexed = new Set(batch.docs.map((d) => d.sourceId));
  if (batch.docs.length) await search.index(batch.docs);
  const gone = ids.filter((id) => !indexed.has(id)).map((id) => documentId(kind, id));
  if (gone.length) await search.remove(gone);
}

/** Brings one row's document (and a thread's replies) up to date. */
export async function syncSearchDocument({ db, search }: IndexServices, kind: SearchKind, id: string) {
  if (kind === "post") {
    const post = await db.forumPost.findUnique({ where: { id }, select: { position: true, threadId: true } });
    // The opening post's text is its thread's document.
    if (post?.position === 1) return apply(search, "thread", await DOCUMENT_LOADERS.thread(db, { ids: [post.threadId] }), [post.threadId]);
  }
  await apply(search, kind, await DOCUMENT_LOADERS[kind](db, { ids: [id] }), [id]);
  if (kind === "thread") {
    // Replies carry the thread's title and category, and go when it goes.
    await apply(search, "post", await DOCUMENT_LOADERS.post(db, { threadId: id }));
  }
  if (kind === "product") {
    // Reviews link through the product's slug and carry its category.
    await apply(search, "review", await DOCUMENT_LOADERS.review(db, { productId: id }));
  }
}

export function searchIndexHandler(services: IndexServices): OutboxHandler {
  return {
    name: "search.index",
    handles: (type) => type === SEARCH_SYNC,
    async deliver(event) {
      const { kind, id } = event.payload as { kind: SearchKind; id: string };
      if (!SEARCH_KINDS.includes(kind) || typeof id !== "string") return;
      await syncSearchDocument(services, kind, id);
    },
  };
}

export interface ReindexProgress {
  kind: SearchKind;
  done: number;
  total: number;
}

export interface ReindexOptions {
  /** Start over instead of resuming an interrupted run. */
  fresh?: boolean;
  batchSize?: number;
  onProgress?(progress: ReindexProgress): void;
  /** Checked between batches: true stops after saving the cursor. */
  shouldStop?(): boolean;
}

const COUNTERS: Record<SearchKind, (db: Db) => Promise<number>> = {
  thread: (db) => db.forumThread.count(),
  post: (db) => db.forumPost.count(),
  idea: (db) => db.idea.count(),
  review: (db) => db.productReview.count(),
  product: (db) => db.product.count(),
  member: (db) => db.user.count(),
};

/**
 * Rebuilds every kind in id order, saving a cursor per kind after each
 * batch. An interrupted run resumes where it stopped; a finished kind
 * removes the documents the run did not touch (rows gone meanwhile).
 * Returns whether every kind finished.
 */
export async function reindexSearch({ db, search }: IndexServices, options: ReindexOptions = {}) {
  const batchSize = options.batchSize ?? 500;
  await search.bootstrap();
  if (options.fresh) await db.searchReindexCursor.deleteMany();
  const cursors = new Map((await db.searchReindexCursor.findMany()).map((c) => [c.kind, c]));
  // A finished run leaves every cursor finished: the next run starts over.
  if (cursors.size && [...cursors.values()].every((c) => c.finishedAt)) {
    await db.searchReindexCursor.deleteMany();
    cursors.clear();
  }
  for (const kind of SEARCH_KINDS) {
    let cursor = cursors.get(kind);
    if (cursor?.finishedAt) continue;
    if (!cursor) cursor = await db.searchReindexCursor.create({ data: { kind, startedAt: new Date() } });
    const total = await COUNTERS[kind](db);
    let { lastId, count } = cursor;
    options.onProgress?.({ kind, done: count, total });
    for (;;) {
      if (options.shouldStop?.()) return false;
      const batch = await DOCUMENT_LOADERS[kind](db, { after: lastId, take: batchSize });
      if (!batch.seen.length) break;
      await apply(search, kind, batch);
      lastId = batch.seen.at(-1)!;
      count += batch.seen.length;
      await db.searchReindexCursor.update({ where: { kind }, data: { lastId, count } });
      options.onProgress?.({ kind, done: count, total });
    }
    await search.removeStale(kind, cursor.startedAt);
    await db.searchReindexCursor.update({ where: { kind }, data: { finishedAt: new Date() } });
  }
  return true;
}
