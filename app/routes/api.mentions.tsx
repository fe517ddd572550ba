/** "@" autocomplete for the composer: members only, never deleted accounts, no emails. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { suggestMentions } from "~/modules/forums/mentions.server";
import { avatarUrl } from "~/modules/members/avatar.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = context.user;
  // An API answers 401, not a redirect to the log-in page. The composer calls this with fetch(), not a
  // Remix fetcher, so it answers plain JSON Responses (raw objects are for Remix's own data requests).
  if (!user) throw Response.json({ error: "unauthorized" }, { status: 401 });
  const url = new URL(request.url);
  const people = await suggestMentions(context.services.db, { id: user.id, role: user.role }, url.searchParams.get("q") ?? "", url.searchParams.get("thread"));
  return Response.json({
    people: people.map((p) => ({ username: p.username, displayName: p.displayName, avatar: avatarUrl(p.avatarKey) })),
  });
}
