/** Search input, parsed from the URL with caps on every field (shared by /search and /api/search). */
import { z } from "zod";
import { SEARCH_KINDS, SEARCH_SORTS } from "./engine";

export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_MAX_PAGE = 50;
export const SEARCH_MAX_QUERY = 100;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()));
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const SearchInputSchema = z.object({
  q: z.string().trim().max(SEARCH_MAX_QUERY).catch(""),
  kind: z.enum(SEARCH_KINDS).optional().catch(undefined),
  product: id.optional().catch(undefined),
  category: id.optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  sort: z.enum(SEARCH_SORTS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(SEARCH_MAX_PAGE).catch(1),
});
export type SearchInput = z.infer<typeof SearchInputSchema>;

export function parseSearchInput(params: URLSearchParams): SearchInput {
  // An over-long query is cut, not refused: what was typed still finds something.
  const entries = [...params].filter(([, v]) => v !== "").map(([k, v]) => [k, k === "q" ? v.slice(0, SEARCH_MAX_QUERY) : v]);
  return SearchInputSchema.parse(Object.fromEntries(entries));
}
