/**
 * The one search interface (docs/decisions/010-search.md). Two engines
 * implement it: PostgreSQL (default) and Meilisearch (MEILI_URL). Both pass
 * tests/integration/search/search-contract.test.ts.
 */

export const SEARCH_KINDS = ["thread", "post", "idea", "review", "product", "member"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Content kinds anyone may search; members are for staff only. */
export const CONTENT_KINDS: readonly SearchKind[] = ["thread", "post", "idea", "review", "product"];

/**
 * public: anyone. staff: staff and admins. member: a member's record, for
 * admins and for staff whose scope holds the document's ownerId (manager).
 */
export type SearchVisibility = "public" | "staff" | "member";

export interface SearchDocument {
  kind: SearchKind;
  sourceId: string;
  url: string;
  title: string;
  /** Plain text, NFC. */
  body: string;
  productId: string | null;
  categoryId: string | null;
  status: string | null;
  visibility: SearchVisibility;
  ownerId: string | null;
  createdAt: Date;
}

export const documentId = (kind: SearchKind, sourceId: string) => `${kind}:${sourceId}`;

/** Who is searching, reduced to what the permission filter needs. */
export interface SearchViewer {
  role: "anonymous" | "member" | "moderator" | "staff" | "admin";
  /** Managers whose members this viewer may find (staff: themselves and whom they cover). */
  managerIds: string[];
}

export const SEARCH_SORTS = ["relevance", "newest"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchQuery {
  q: string;
  kinds?: readonly SearchKind[];
  productId?: string;
  categoryId?: string;
  status?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Best match first (default), or newest first. */
  sort?: SearchSort;
  /** From 0. */
  offset: number;
  limit: number;
}

/** What an engine returns: the document without its permission fields. */
export type SearchHit = Omit<SearchDocument, "visibility" | "ownerId"> & { id: string };

export interface SearchResult {
  hits: SearchHit[];
  /** Matches the viewer may see; engines may cap it (`capped`). */
  total: number;
  capped: boolean;
}

export interface SearchEngine {
  readonly name: "postgres" | "meilisearch";
  /** Creates the index and applies its settings; idempotent, run at start. */
  bootstrap(): Promise<void>;
  /** Adds or replaces documents (by kind and sourceId). */
  index(documents: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Removes documents of a kind not indexed since `before` (a finished reindex). */
  removeStale(kind: SearchKind, before: Date): Promise<void>;
  search(query: SearchQuery, viewer: SearchViewer): Promise<SearchResult>;
  /** Everything out (tests, benchmarks). */
  clear(): Promise<void>;
  /** Resolves when the engine answers with our credentials (/staff/system); rejects otherwise. */
  ping(): Promise<void>;
}

