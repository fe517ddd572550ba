/**
 * Search for routes: validated input, the viewer's permission context built
 * on the server, the engine's answer turned into highlighted segments.
 */
import type { Services, Db } from "../services.server";
import type { Actor } from "../policy/actor";
import { visibleManagers } from "../policy/member-scope.server";
import { hitRateLimit, type Limit } from "../rate-limit/rate-limit.server";
import { createPostgresSearchEngine } from "./postgres-engine.server";
import { createMeilisearchEngine, type MeiliOptions } from "./meilisearch-engine.server";
import { CONTENT_KINDS, type SearchEngine, type SearchKind, type SearchViewer } from "./engine";
import { highlight, parseQuery, snippet, type Segment } from "./text";
import { SEARCH_PAGE_SIZE, type SearchInput } from "./search-schema";
import { isStaffRole } from "../policy/permissions";

export function createSearchEngine(db: Db, meili: MeiliOptions | null | undefined): SearchEngine {
  return meili ? createMeilisearchEngine(meili) : createPostgresSearchEngine(db);
}

/**
 * Whose members a staff viewer may find: the one member-scope rule's
 * managers (their own, and those they cover right now; admins all).
 */
export async function viewerFor(services: Pick<Services, "db" | "realtime">, actor: Actor | null): Promise<SearchViewer> {
  if (!actor) return { role: "anonymous", managerIds: [] };
  const managers = await visibleManagers(services, actor);
  // Admins ("all") and non-staff (none) need no list: the engines filter on the role.
  return { role: actor.role, managerIds: managers === "all" ? [] : managers };
}

/** The engine did not answer (Meilisearch down, say): the routes answer 503 and keep the query. */
export class SearchUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The search engine did not answer", { cause });
    this.name = "SearchUnavailableError";
  }
}

/**
 * The search, or null when the engine did not answer (logged here): the
 * routes then answer 503 and keep the query instead of failing the page.
 */
export async function unlessUnavailable<T>(services: Pick<Services, "logger">, requestId: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SearchUnavailableError)) throw error;
    services.logger.error({ err: error.cause, requestId }, "search engine unavailable");
    return null;
  }
}

export interface SearchResultItem {
  id: string;
  kind: SearchKind;
  url: string;
  title: Segment[];
  snippet: Segment[];
  createdAt: string;
}

function allowedKinds(viewer: SearchViewer, kind: SearchKind | undefined): readonly SearchKind[] {
  const kinds = isStaffRole(viewer.role) ? [...CONTENT_KINDS, "member" as const] : CONTENT_KINDS;
  return kind ? kinds.filter((k) => k === kind) : kinds;
}

export async function searchContent(
  services: Pick<Services, "db" | "realtime" | "search">,
  actor: Actor | null,
  input: SearchInput,
  options: { limit?: number } = {},
) {
  const limit = options.limit ?? SEARCH_PAGE_SIZE;
  const viewer = await viewerFor(services, actor);
  const kinds = allowedKinds(viewer, input.kind);
  if (!input.q || !kinds.length) return { items: [] as SearchResultItem[], total: 0, capped: false, page: input.page, pageCount: 0 };
  const query = {
    q: input.q,
    kinds,
    productId: input.product,
    categoryId: input.category,
    from: input.from ? new Date(`${input.from}T00:00:00Z`) : undefined,
    to: input.to ? new Date(new Date(`${input.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    sort: input.sort,
    offset: (input.page - 1) * limit,
    limit,
  };
  const result = await services.search.search(query, viewer).catch((error: unknown) => {
    throw new SearchUnavailableError(error);
  });
  const terms = parseQuery(input.q).folded;
  const people = await memberCards(services.db, result.hits.filter((hit) => hit.kind === "member").map((hit) => hit.sourceId));
  const items: SearchResultItem[] = result.hits.map((hit) => {
    const person = hit.kind === "member" ? people.get(hit.sourceId) : undefined;
    return {
      id: hit.id,
      kind: hit.kind,
      url: hit.url,
      title: highlight(person?.displayName ?? hit.title, terms),
      // A member's document is words to match ("@handle", the address split up): show who they are instead.
      snippet: hit.kind === "member" ? highlight(person ? [person.email, person.company].filter(Boolean).join(" · ") : "", terms) : snippet(hit.body, terms),
      createdAt: hit.createdAt.toISOString(),
    };
  });
  return { items, total: result.total, capped: result.capped, page: input.page, pageCount: Math.ceil(result.total / limit) };
}

/** Name, email and company of the members found, as they are now (the index may lag a rename). */
async function memberCards(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, { displayName: string; email: string; company: string | null }>();
  const rows = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true, email: true, company: true } });
  return new Map(rows.map(({ id, ...card }) => [id, card]));
}

const QUICK_ORDER: SearchKind[] = ["thread", "post", "idea", "review", "product", "member"];
const QUICK_SHOWN = 10;

/**
 * The header box: the best matches, grouped by kind in a fixed order. Replies
 * collapse to the best one per thread, and none for a thread already listed,
 * as Discourse does: one busy thread must not fill the box with itself.
 */
export async function quickSearch(services: Pick<Services, "db" | "realtime" | "search">, actor: Actor | null, q: string) {
  const { items } = await searchContent(services, actor, { q, page: 1 }, { limit: QUICK_SHOWN * 2 });
  const threadOf = (url: string) => url.split(/[?#]/)[0]!;
  const threads = new Set(items.filter((i) => i.kind === "thread").map((i) => threadOf(i.url)));
  const shown = items
    .filter((i) => {
      if (i.kind !== "post") return true;
      if (threads.has(threadOf(i.url))) return false;
      threads.add(threadOf(i.url));
      return true;
    })
    .slice(0, QUICK_SHOWN);
  return QUICK_ORDER.map((kind) => ({ kind, items: shown.filter((i) => i.kind === kind) })).filter((g) => g.items.length);
}

/** Searches per minute, per signed-in user or, for visitors, per client address. */
export const SEARCH_RATE: Limit = { max: 120, windowMs: 60_000 };

export async function allowSearch(services: Pick<Services, "db" | "clock">, actor: Actor | null, ip: string) {
  return hitRateLimit(services.db, actor ? `search:user:${actor.id}` : `search:ip:${ip}`, SEARCH_RATE, services.clock.now());
}
