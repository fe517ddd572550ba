/** The header box's suggestions: grouped best matches, as the viewer may see them. Rate-limited. */
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { allowSearch, quickSearch, unlessUnavailable } from "~/modules/search/search.server";
import { SEARCH_MAX_QUERY } from "~/modules/search/search-schema";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, SEARCH_MAX_QUERY).trim();
  const actor = context.user ? { id: context.user.id, role: context.user.role } : null;
  const noStore = { "Cache-Control": "private, no-store" };
  // Problems are returned, not thrown: a fetcher's thrown response would replace the page with an error boundary.
  if (!q) return data({ q, groups: [], problem: null }, { headers: noStore });
  const rate = await allowSearch(context.services, actor, context.ip);
  if (!rate.allowed) {
    return data(
      { q, groups: [], problem: { kind: "rateLimited" as const, retryAfterSeconds: rate.retryAfterSeconds } },
      { status: 429, headers: { ...noStore, "Retry-After": String(rate.retryAfterSeconds) } },
    );
  }
  const groups = await unlessUnavailable(context.services, context.requestId, () => quickSearch(context.services, actor, q));
  if (groups) return data({ q, groups, problem: null }, { headers: noStore });
  return data({ q, groups: [], problem: { kind: "unavailable" as const, retryAfterSeconds: 30 } }, { status: 503, headers: { ...noStore, "Retry-After": "30" } });
}
