/** Similar ideas for what is being typed as a new idea's title (a resource route). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { IdeaStatusName } from "~/modules/ideas/idea-schemas";
import { similarIdeas } from "~/modules/ideas/ideas.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const ideas = q.trim().length >= 3 ? await similarIdeas(context.services.db, q, { excludeId: url.searchParams.get("exclude") ?? undefined }) : [];
  const body: SimilarIdeas = { ideas: ideas.map(({ id, title, status, voteCount }) => ({ id, title, status, voteCount })) };
  return Response.json(
    body,
    { headers: { "Cache-Control": "private, max-age=10" } },
  );
}

export interface SimilarIdeas {
  ideas: { id: string; title: string; status: IdeaStatusName; voteCount: number }[];
}
