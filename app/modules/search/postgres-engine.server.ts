/**
 * The default engine: full-text search in the application's own database,
 * the same SQL on PGlite and PostgreSQL (docs/decisions/010-search.md).
 * Documents live in "SearchDocument" with a generated tsvector over
 * rapport_fold(title/body); typo candidates come from "SearchTerm" (pg_trgm).
 */
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "../services.server";
import {
  documentId,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchKind,
  type SearchQuery,
  type SearchResult,
  type SearchViewer,
} from "./engine";
import { parseQuery, TYPO_MIN_LENGTH, withinOneEdit } from "./text";
import { isStaffRole, isAdminRole } from "../policy/permissions";

/** Matches ranked per query at most; beyond it the newest are ranked. */
export const RANK_WINDOW = 500;
const BATCH = 200;

/** A tsquery lexeme, quoted: the query text never becomes tsquery syntax. */
const lexeme = (word: string) => `'${word.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`;

function visibilityFilter(viewer: SearchViewer) {
  if (isAdminRole(viewer.role)) return Prisma.empty;
  if (isStaffRole(viewer.role)) {
    return viewer.managerIds.length
      ? Prisma.sql`AND (d."visibility" IN ('public', 'staff') OR (d."visibility" = 'member' AND d."ownerId" IN (${Prisma.join(viewer.managerIds)})))`
      : Prisma.sql`AND d."visibility" IN ('public', 'staff')`;
  }
  return Prisma.sql`AND d."visibility" = 'public'`;
}

function queryFilters(query: SearchQuery) {
  const parts: Prisma.Sql[] = [];
  if (query.kinds?.length) parts.push(Prisma.sql`AND d."kind" IN (${Prisma.join([...query.kinds])})`);
  if (query.productId) parts.push(Prisma.sql`AND d."productId" = ${query.productId}`);
  if (query.categoryId) parts.push(Prisma.sql`AND d."categoryId" = ${query.categoryId}`);
  if (query.status) parts.push(Prisma.sql`AND d."status" = ${query.status}`);
  if (query.from) parts.push(Prisma.sql`AND d."createdAt" >= ${query.from}`);
  if (query.to) parts.push(Prisma.sql`AND d."createdAt" < ${query.to}`);
  return parts.length ? Prisma.join(parts, " ") : Prisma.empty;
}

export function createPostgresSearchEngine(db: Db): SearchEngine {
  /**
   * For each query syllable of 5+ letters that is not a known word, the known
   * words one edit away (pg_trgm proposes, withinOneEdit decides).
   */
  async function typoAlternatives(words: string[]) {
    const alternatives = new Map<string, string[]>();
    let long = [...new Set(words.filter((w) => w.length >= TYPO_MIN_LENGTH))];
    if (!long.length) return alternatives;
    // A known word is never guessed at: a primary-key lookup spares most queries the trigram
    // search (about half of a frequent query's time at 100,000 documents on PGlite).
    const known = await db.$queryRaw<{ term: string }[]>`SELECT "term" FROM "SearchTerm" WHERE "term" IN (${Prisma.join(long)})`;
    long = long.filter((w) => !known.some((k) => k.term === w));
    if (!long.length) return alternatives;
    const rows = await db.$transaction([
      // Similarity of a one-edit typo in a 5-letter word can fall below the 0.3 default.
      db.$executeRaw`SELECT set_config('pg_trgm.similarity_threshold', '0.2', true)`,
      db.$queryRaw<{ word: string; term: string }[]>`
        SELECT q.word, t.term FROM unnest(${long}::text[]) AS q(word)
        CROSS JOIN LATERAL (
          SELECT "term" FROM "SearchTerm"
          WHERE "term" % q.word AND length("term") BETWEEN length(q.word) - 1 AND length(q.word) + 1
          ORDER BY "term" <-> q.word LIMIT 12) t`,
    ]);
    const candidates = rows[1];
    for (const word of long) {
      const near = candidates.filter((c) => c.word === word).map((c) => c.term);
      const alts = near.filter((term) => withinOneEdit(term, word));
      if (alts.length) alternatives.set(word, alts);
    }
    return alternatives;
  }

  return {
    name: "postgres",

    async ping() {
      await db.$queryRaw`SELECT 1 FROM "SearchDocument" LIMIT 1`;
    },

    async bootstrap() {
      // The migration made the table, the indexes and the extensions.
    },

    async index(documents) {
      const now = new Date();
      for (let i = 0; i < documents.length; i += BATCH) {
        const batch = documents.slice(i, i + BATCH);
        const rows = batch.map(
          (d: SearchDocument) => Prisma.sql`(${documentId(d.kind, d.sourceId)}, ${d.kind}, ${d.sourceId}, ${d.url}, ${d.title}, ${d.body},
            ${d.productId}, ${d.categoryId}, ${d.status}, ${d.visibility}, ${d.ownerId}, ${d.createdAt}, ${now})`,
        );
        const ids = batch.map((d) => documentId(d.kind, d.sourceId));
        await db.$transaction([
          db.$executeRaw`
            INSERT INTO "SearchDocument" ("id", "kind", "sourceId", "url", "title", "body", "productId", "categoryId",
              "status", "visibility", "ownerId", "createdAt", "indexedAt")
            VALUES ${Prisma.join(rows)}
            ON CONFLICT ("id") DO UPDATE SET "url" = EXCLUDED."url", "title" = EXCLUDED."title", "body" = EXCLUDED."body",
              "productId" = EXCLUDED."productId", "categoryId" = EXCLUDED."categoryId", "status" = EXCLUDED."status",
              "visibility" = EXCLUDED."visibility", "ownerId" = EXCLUDED."ownerId", "createdAt" = EXCLUDED."createdAt",
              "indexedAt" = EXCLUDED."indexedAt"`,
          // The vocabulary typo candidates come from: the lexemes the parser itself produced.
          db.$executeRaw`
            INSERT INTO "SearchTerm" ("term")
            SELECT DISTINCT w.lexeme FROM "SearchDocument" d, unnest(d."search") AS w
            WHERE d."id" IN (${Prisma.join(ids)}) AND length(w.lexeme) BETWEEN ${TYPO_MIN_LENGTH - 1} AND 40
            ON CONFLICT DO NOTHING`,
        ]);
      }
    },

    async remove(ids) {
      for (let i = 0; i < ids.length; i += BATCH) {
        await db.$executeRaw`DELETE FROM "SearchDocument" WHERE "id" IN (${Prisma.join(ids.slice(i, i + BATCH))})`;
      }
    },

    async removeStale(kind: SearchKind, before: Date) {
      await db.$executeRaw`DELETE FROM "SearchDocument" WHERE "kind" = ${kind} AND "indexedAt" < ${before}`;
    },

    async search(query, viewer): Promise<SearchResult> {
      const terms = parseQuery(query.q);
      if (!terms.folded.length) return { hits: [], total: 0, capped: false };
      const alternatives = await typoAlternatives(terms.folded);
      const last = terms.folded.length - 1;
      // Every syllable must match; the last one also as a prefix (as you type).
      const match = terms.folded
        .map((word, i) => {
          const options = [lexeme(word) + (i === last ? ":*" : ""), ...(alternatives.get(word) ?? []).map(lexeme)];
          return options.length > 1 ? `(${options.join(" | ")})` : options[0];
        })
        .concat(terms.phrases.map((p) => `(${p.map(lexeme).join(" <-> ")})`))
        .join(" & ");
      // The syllables side by side, in order: multi-syllable words rank above scattered syllables.
      const phrase = terms.folded.length > 1 ? terms.folded.map(lexeme).join(" <-> ") : lexeme(terms.folded[0]!);
      const tone = terms.marked.length
        ? Prisma.join(
            terms.marked.map((s) => Prisma.sql`(strpos(lower(m."title" || ' ' || m."body"), ${s}) > 0)::int`),
            " + ",
          )
        : Prisma.sql`0`;
      // The tsqueries are written out, not read from a CTE: the planner must see their words to
      // estimate how many rows match and, for a frequent word, walk the newest rows and stop.
      const matchQuery = Prisma.sql`to_tsquery('simple', ${match})`;
      // Narrow rows through the match, the sort and the ranking (the text only where the tone
      // rule reads it); the full rows are read for the one page returned. Carrying every
      // matching row's text through the sort cost a frequent query a third of its time.
      const text = terms.marked.length ? Prisma.sql`, d."title", d."body"` : Prisma.empty;
      // Newest first needs no ranking: the window is already the newest matches.
      const order = (t: Prisma.Sql) =>
        query.sort === "newest"
          ? Prisma.sql`${t}."createdAt" DESC, ${t}."id"`
          : Prisma.sql`tone DESC, phrase DESC, rank DESC, ${t}."createdAt" DESC, ${t}."id"`;
      const rows = await db.$queryRaw<(SearchHit & { total: bigint })[]>`
        WITH m AS (
          SELECT d."id", d."kind", d."createdAt", d."search" ${text}
          FROM "SearchDocument" d
          WHERE d."search" @@ ${matchQuery} ${visibilityFilter(viewer)} ${queryFilters(query)}
          ORDER BY d."createdAt" DESC
          LIMIT ${RANK_WINDOW}),
        r AS (
          SELECT m."id", m."createdAt", count(*) OVER () AS total, ${tone} AS tone,
                 (m."search" @@ to_tsquery('simple', ${phrase})) AS phrase,
                 -- A reply carries its thread's title: at half weight the thread comes first unless the reply matches much better.
                 ts_rank_cd(m."search", ${matchQuery}) * (CASE m."kind" WHEN 'post' THEN 0.5 ELSE 1 END) AS rank
          FROM m
          ORDER BY ${order(Prisma.raw("m"))}
          LIMIT ${query.limit} OFFSET ${query.offset})
        SELECT d."id", d."kind", d."sourceId", d."url", d."title", d."body", d."productId", d."categoryId",
               d."status", d."createdAt", r.total
        FROM r JOIN "SearchDocument" d ON d."id" = r."id"
        ORDER BY ${order(Prisma.raw("r"))}`;
      let total = rows.length ? Number(rows[0]!.total) : 0;
      if (!rows.length && query.offset > 0) {
        const counted = await db.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM (SELECT 1 FROM "SearchDocument" d
            WHERE d."search" @@ to_tsquery('simple', ${match}) ${visibilityFilter(viewer)} ${queryFilters(query)}
            LIMIT ${RANK_WINDOW}) x`;
        total = Number(counted[0]?.n ?? 0);
      }
      return {
        hits: rows.map(({ total: _total, ...hit }) => ({ ...hit, createdAt: new Date(hit.createdAt) })),
        total,
        capped: total >= RANK_WINDOW,
      };
    },

    async clear() {
      await db.$executeRaw`DELETE FROM "SearchDocument"`;
      await db.$executeRaw`DELETE FROM "SearchTerm"`;
    },
  };
}
