/** Live preview: the same renderer as the stored post, so what you see is what is posted. */
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { renderMarkdown } from "~/modules/markdown/render.server";
import { renderForumPost } from "~/modules/forums/mentions.server";
import { POST_BODY_MAX } from "~/modules/forums/forum-schemas";
import { requireUser } from "~/utils/auth.server";

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const body = String(form.get("body") ?? "");
  if (body.length > POST_BODY_MAX) return data({ html: "", error: "forum.bodyTooLong" as const }, { status: 413 });
  // Full mode resolves @mentions the way posting will.
  const html = form.get("mode") === "chat" ? renderMarkdown(body, "chat").html : (await renderForumPost(context.services.db, body)).html;
  return { html, error: null };
}
