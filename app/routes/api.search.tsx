/** The header box's suggestions: grouped best matches, as the viewer may see them. Rate-limited. */
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { allowSearch, quickSearch } from "~/modules/search/search.server";
import { SEARCH_MAX_QUERY } from "~/modules/search/search-schema";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, SEARCH_MAX_QUERY).trim();
  const actor = context.user ? { id: context.user.id, role: context.user.role } : null;
  if (!q) return { q, groups: [] };
  const rate = await allowSearch(context.services, actor, context.ip);
  if (!rate.allowed) {
    throw data({ error: "rateLimited", retryAfterSeconds: rate.retryAfterSeconds }, { status: 429, headers: { "Retry-After": String(rate.retryAfterSeconds) } });
  }
  return data({ q, groups: await quickSearch(context.services, actor, q) }, { headers: { "Cache-Control": "private, no-store" } });
}
