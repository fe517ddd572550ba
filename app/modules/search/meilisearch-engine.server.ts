/**
 * Meilisearch behind the same interface (MEILI_URL, MEILI_KEY). Settings are
 * applied at start; the permission filter is built here from the viewer, on
 * the server: the browser talks to /api/search only and never holds a key.
 * Each write waits for its task, so a failure reaches the outbox as an
 * error and is retried.
 */
import { Meilisearch, type FederatedMultiSearchParams } from "meilisearch";
import { documentId, type SearchDocument, type SearchEngine, type SearchKind, type SearchQuery, type SearchViewer } from "./engine";
import { parseQuery, toneQuery, toneTokens, TYPO_MIN_LENGTH } from "./text";
import { isStaffRole, isAdminRole } from "../policy/permissions";

export interface MeiliOptions {
  url: string;
  key: string | null;
  /** Index name; tests use their own. */
  index?: string;
}

interface MeiliDocument extends Omit<SearchDocument, "createdAt"> {
  id: string;
  createdAt: number;
  indexedAt: number;
  /** The marked syllables as tone tokens (text.ts toneToken): Meilisearch folds marks away itself. */
  tones: string;
  /** 0 for a reply, 1 otherwise: a reply carries its thread's title, so on a tie the thread comes first. */
  kindRank: number;
}

/** What a query is matched against; `tones` only by the exact-tone query. */
const TEXT = ["title", "body"];
/**
 * The exact-tone query's weight in the federated merge. Scores are in
 * [0, 1], so any hit of that query (score above 0.01) outranks every hit of
 * the plain one: "con dế" puts the cricket before the goat, as the
 * PostgreSQL engine does.
 */
const TONE_WEIGHT = 100;

/** Meilisearch ids allow letters, digits, - and _ only. */
const meiliId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "_");
const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

function permissionFilter(viewer: SearchViewer): string | null {
  if (isAdminRole(viewer.role)) return null;
  if (isStaffRole(viewer.role)) {
    const scoped = viewer.managerIds.length ? ` OR (visibility = "member" AND ownerId IN [${viewer.managerIds.map(quote).join(", ")}])` : "";
    return `(visibility IN ["public", "staff"]${scoped})`;
  }
  return `visibility = "public"`;
}

function queryFilter(query: SearchQuery) {
  const parts: string[] = [];
  if (query.kinds?.length) parts.push(`kind IN [${query.kinds.map(quote).join(", ")}]`);
  if (query.productId) parts.push(`productId = ${quote(query.productId)}`);
  if (query.categoryId) parts.push(`categoryId = ${quote(query.categoryId)}`);
  if (query.status) parts.push(`status = ${quote(query.status)}`);
  if (query.from) parts.push(`createdAt >= ${query.from.getTime()}`);
  if (query.to) parts.push(`createdAt < ${query.to.getTime()}`);
  return parts;
}

export function createMeilisearchEngine(options: MeiliOptions): SearchEngine {
  const client = new Meilisearch({ host: options.url, apiKey: options.key ?? undefined });
  const uid = options.index ?? "rapport";
  const index = client.index<MeiliDocument>(uid);

  async function settle(task: { waitTask(o?: { timeout?: number }): Promise<{ status: string; error?: { message: string } | null }> }) {
    const done = await task.waitTask({ timeout: 30_000 });
    if (done.status !== "succeeded") throw new Error(`Meilisearch task ${done.status}: ${done.error?.message ?? ""}`);
  }

  return {
    name: "meilisearch",

    async ping() {
      // Reading the index checks the server, the key and the index at once (health() needs no key).
      await client.getIndex(uid);
    },

    async bootstrap() {
      const exists = await client.getIndex(uid).then(
        () => true,
        () => false,
      );
      if (!exists) await settle(client.createIndex(uid, { primaryKey: "id" }));
      await settle(
        index.updateSettings({
          searchableAttributes: [...TEXT, "tones"],
          filterableAttributes: ["kind", "productId", "categoryId", "status", "createdAt", "visibility", "ownerId", "indexedAt"],
          sortableAttributes: ["createdAt", "kindRank"],
          // "sort" first: a query that asks for newest first gets exactly that; without a sort parameter the rule does nothing.
          rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness", "kindRank:desc"],
          // A tone token one edit from another is another tone: never a typo.
          typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: TYPO_MIN_LENGTH, twoTypos: 255 }, disableOnAttributes: ["tones"] },
          displayedAttributes: ["*"],
        }),
      );
    },

    async index(documents) {
      if (!documents.length) return;
      const now = Date.now();
      await settle(
        index.addDocuments(
          documents.map((d) => ({
            ...d,
            id: meiliId(documentId(d.kind, d.sourceId)),
            createdAt: d.createdAt.getTime(),
            indexedAt: now,
            tones: toneTokens(`${d.title} ${d.body}`),
            kindRank: d.kind === "post" ? 0 : 1,
          })),
        ),
      );
    },

    async remove(ids) {
      if (ids.length) await settle(index.deleteDocuments(ids.map(meiliId)));
    },

    async removeStale(kind: SearchKind, before: Date) {
      await settle(index.deleteDocuments({ filter: `kind = ${quote(kind)} AND indexedAt < ${before.getTime()}` }));
    },

    async search(query, viewer) {
      const filter = [permissionFilter(viewer), ...queryFilter(query)].filter((f): f is string => !!f);
      // Meilisearch refuses unknown fields: the single search gets no indexUid or q in its body.
      const params = { filter: filter.length ? filter.join(" AND ") : undefined, matchingStrategy: "all" as const, attributesToSearchOn: TEXT };
      const page = { offset: query.offset, limit: query.limit };
      const run = () => {
        if (query.sort === "newest") return index.search(query.q, { ...params, ...page, sort: ["createdAt:desc"] });
        if (!parseQuery(query.q).marked.length) return index.search(query.q, { ...params, ...page });
        // With tone marks typed, a second query asks for them exactly (its hits are a subset of the
        // plain query's); the federated merge ranks them first and returns each document once.
        return client.multiSearch<FederatedMultiSearchParams, MeiliDocument>({
          federation: page,
          queries: [
            { indexUid: uid, q: query.q, ...params },
            { indexUid: uid, q: toneQuery(query.q), ...params, attributesToSearchOn: [...TEXT, "tones"], federationOptions: { weight: TONE_WEIGHT } },
          ],
        });
      };
      const response = await run();
      const total = response.estimatedTotalHits ?? response.hits.length;
      return {
        hits: response.hits.map((h) => ({
          id: documentId(h.kind, h.sourceId),
          kind: h.kind,
          sourceId: h.sourceId,
          url: h.url,
          title: h.title,
          body: h.body,
          productId: h.productId,
          categoryId: h.categoryId,
          status: h.status,
          createdAt: new Date(h.createdAt),
        })),
        total,
        capped: false,
      };
    },

    async clear() {
      await settle(index.deleteAllDocuments());
    },
  };
}
